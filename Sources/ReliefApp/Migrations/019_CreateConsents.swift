import Fluent
import SQLKit

/// Consent records: append-only evidence of what a consumer agreed to (or withdrew), with the
/// exact disclosure text, when, where and from which address. A withdrawal is a new row.
struct CreateConsents: AsyncMigration {
    var name: String { "019_CreateConsents" }

    func prepare(on database: any Database) async throws {
        try await database.schema("consents")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("lead_id", .uuid, .required, .references("leads", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("granted", .bool, .required)
            .field("contact", .string, .required)
            .field("disclosure_text", .string, .required)
            .field("captured_at", .datetime, .required)
            .field("source", .string, .required)
            .field("source_detail", .string, .required)
            .field("ip", .string, .required)
            .field("user_agent", .string, .required)
            .field("recorded_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "consents_lead").on("consents").column("lead_id")
            .column("captured_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("consents").delete()
    }
}
