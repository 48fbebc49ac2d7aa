import Fluent

/// Teams.
struct CreateTeams: AsyncMigration {
    var name: String { "003_CreateTeams" }

    func prepare(on database: any Database) async throws {
        try await database.schema("teams")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("name", .string, .required)
            .field("manager_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "organization_id", "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("teams").delete()
    }
}
