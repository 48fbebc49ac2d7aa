import Fluent
import SQLKit

/// The append-only, hash-chained audit trail.
struct CreateAuditEvents: AsyncMigration {
    var name: String { "011_CreateAuditEvents" }

    func prepare(on database: any Database) async throws {
        try await database.schema("audit_events")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .restrict)
            )
            .field("sequence", .int, .required)
            .field("occurred_at", .datetime, .required)
            .field("actor_type", .string, .required)
            .field("actor_id", .string)
            .field("actor_label", .string, .required)
            .field("action", .string, .required)
            .field("entity_type", .string, .required)
            .field("entity_id", .string)
            .field("changes", .string, .required)
            .field("ip", .string, .required)
            .field("user_agent", .string, .required)
            .field("request_id", .string, .required)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "organization_id", "sequence")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "audit_events_org_time").on("audit_events")
            .column("organization_id").column("occurred_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_events").delete()
    }
}
