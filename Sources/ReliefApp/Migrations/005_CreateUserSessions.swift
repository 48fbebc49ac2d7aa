import Fluent

/// Web sessions.
struct CreateUserSessions: AsyncMigration {
    var name: String { "005_CreateUserSessions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("user_sessions")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("token_digest", .string, .required)
            .field("last_seen_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("ip", .string, .required)
            .field("user_agent", .string, .required)
            .field("awaiting_second_factor", .bool, .required)
            .field("revoked_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_digest")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("user_sessions").delete()
    }
}
