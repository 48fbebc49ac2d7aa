import Fluent

/// Organizations (tenants).
struct CreateOrganizations: AsyncMigration {
    var name: String { "001_CreateOrganizations" }

    func prepare(on database: any Database) async throws {
        try await database.schema("organizations")
            .id()
            .field("name", .string, .required)
            .field("slug", .string, .required)
            .field("time_zone", .string, .required)
            .field("address_line1", .string, .required)
            .field("address_line2", .string, .required)
            .field("city", .string, .required)
            .field("state", .string, .required)
            .field("postal_code", .string, .required)
            .field("country", .string, .required)
            .field("display_name", .string, .required)
            .field("logo_url", .string)
            .field("primary_color", .string, .required)
            .field("custom_host", .string)
            .field("require_two_factor", .bool, .required)
            .field("agent_visibility", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "slug")
            .unique(on: "custom_host")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("organizations").delete()
    }
}
