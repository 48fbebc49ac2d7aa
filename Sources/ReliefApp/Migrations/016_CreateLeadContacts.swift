import Fluent
import SQLKit

/// A lead's phone numbers (E.164) and e-mail addresses; the unit of duplicate detection.
struct CreateLeadContacts: AsyncMigration {
    var name: String { "016_CreateLeadContacts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("lead_phones")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("lead_id", .uuid, .required, .references("leads", "id", onDelete: .cascade))
            .field("e164", .string, .required)
            .field("type", .string, .required)
            .field("is_primary", .bool, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("lead_emails")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("lead_id", .uuid, .required, .references("leads", "id", onDelete: .cascade))
            .field("email", .string, .required)
            .field("is_primary", .bool, .required)
            .field("created_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "postgresql" {
            // Byte order, so "phone starts with" and "e-mail starts with" use the index.
            try await sql.raw(#"ALTER TABLE lead_phones ALTER COLUMN e164 TYPE TEXT COLLATE "C""#)
                .run()
            try await sql.raw(#"ALTER TABLE lead_emails ALTER COLUMN email TYPE TEXT COLLATE "C""#)
                .run()
        }
        try await sql.create(index: "lead_phones_org_e164").on("lead_phones")
            .column("organization_id").column("e164").run()
        try await sql.create(index: "lead_phones_lead").on("lead_phones").column("lead_id").run()
        try await sql.create(index: "lead_emails_org_email").on("lead_emails")
            .column("organization_id").column("email").run()
        try await sql.create(index: "lead_emails_lead").on("lead_emails").column("lead_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("lead_emails").delete()
        try await database.schema("lead_phones").delete()
    }
}
