import Fluent
import SQLKit

/// The lead timeline: every note, status change, assignment, import, merge, consent and,
/// later, message, call, tracked event and appointment.
struct CreateActivities: AsyncMigration {
    var name: String { "018_CreateActivities" }

    func prepare(on database: any Database) async throws {
        try await database.schema("activities")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("lead_id", .uuid, .required, .references("leads", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("occurred_at", .datetime, .required)
            .field("actor_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("actor_label", .string, .required)
            .field("summary", .string, .required)
            .field("body", .string, .required)
            .field("from_status", .string)
            .field("to_status", .string)
            .field("reason", .string)
            .field("data", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "activities_lead_time").on("activities")
            .column("lead_id").column("occurred_at").run()
        try await sql.create(index: "activities_org_kind_time").on("activities")
            .column("organization_id").column("kind").column("occurred_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("activities").delete()
    }
}
