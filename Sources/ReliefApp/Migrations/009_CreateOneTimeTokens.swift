import Fluent

/// Password reset and invitation link tokens.
struct CreateOneTimeTokens: AsyncMigration {
    var name: String { "009_CreateOneTimeTokens" }

    func prepare(on database: any Database) async throws {
        try await database.schema("one_time_tokens")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("purpose", .string, .required)
            .field("token_digest", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_digest")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("one_time_tokens").delete()
    }
}
