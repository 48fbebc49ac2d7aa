import Fluent

/// Team memberships.
struct CreateTeamMembers: AsyncMigration {
    var name: String { "004_CreateTeamMembers" }

    func prepare(on database: any Database) async throws {
        try await database.schema("team_members")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("team_id", .uuid, .required, .references("teams", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("created_at", .datetime)
            .unique(on: "team_id", "user_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("team_members").delete()
    }
}
