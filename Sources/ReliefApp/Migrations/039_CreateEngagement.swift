import Fluent
import SQLKit

/// Behavioral tracking: the append-only engagement events (opens, clicks, page activity) with
/// their machine-activity flags, each organization's heat score settings, and on `leads` the
/// instant the stored heat score was computed at and its rank key for the call list.
struct CreateEngagement: AsyncMigration {
    var name: String { "039_CreateEngagement" }

    func prepare(on database: any Database) async throws {
        try await database.schema("engagement_events")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("lead_id", .uuid, .references("leads", "id", onDelete: .setNull))
            .field("visitor_id", .string)
            .field("type", .string, .required)
            .field("occurred_at", .datetime, .required)
            .field("message_id", .string)
            .field("page", .string)
            .field("url", .string)
            .field("scroll_depth", .int)
            .field("seconds", .int)
            .field("ip_sealed", .string)
            .field("user_agent", .string, .required)
            .field("machine", .bool, .required)
            .field("machine_reasons", .string, .required)
            .field("received_at", .datetime, .required)
            .create()
        try await database.schema("engagement_settings")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("half_life_hours", .double, .required)
            .field("hot_threshold", .double, .required)
            .field("weights", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "organization_id")
            .create()
        // One column per ALTER: SQLite adds one at a time.
        try await database.schema("leads").field("heat_as_of", .datetime).update()
        try await database.schema("leads").field("heat_rank", .double).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "engagement_events_lead").on("engagement_events")
            .column("organization_id").column("lead_id").column("occurred_at").run()
        try await sql.create(index: "engagement_events_message").on("engagement_events")
            .column("organization_id").column("message_id").column("occurred_at").run()
        // An owner's leads by heat (owner ids are unique across organizations; leading with the
        // organization would offer the planner this index for every lead list query).
        try await sql.create(index: "leads_owner_heat").on("leads")
            .column("owner_id").column("heat_rank").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "leads_owner_heat").run()
        }
        try await database.schema("leads").deleteField("heat_rank").update()
        try await database.schema("leads").deleteField("heat_as_of").update()
        try await database.schema("engagement_settings").delete()
        try await database.schema("engagement_events").delete()
    }
}
