import Fluent

/// How many leads each team's round-robin has given each member, updated one assignment at a
/// time under the organization's assignment lock.
struct CreateRoundRobinCounters: AsyncMigration {
    var name: String { "023_CreateRoundRobinCounters" }

    func prepare(on database: any Database) async throws {
        try await database.schema("round_robin_counters")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("team_id", .uuid, .required, .references("teams", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("assigned_count", .int, .required)
            .unique(on: "team_id", "user_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("round_robin_counters").delete()
    }
}
