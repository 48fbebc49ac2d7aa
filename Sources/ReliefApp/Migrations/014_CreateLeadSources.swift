import Fluent

/// Lead sources: the vendors and campaigns leads come from, with their cost per lead.
struct CreateLeadSources: AsyncMigration {
    var name: String { "014_CreateLeadSources" }

    func prepare(on database: any Database) async throws {
        try await database.schema("lead_sources")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("name", .string, .required)
            .field("name_key", .string, .required)
            .field("vendor", .string, .required)
            .field("campaign", .string, .required)
            .field("cost_per_lead_cents", .int64, .required)
            .field("is_active", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "organization_id", "name_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("lead_sources").delete()
    }
}
