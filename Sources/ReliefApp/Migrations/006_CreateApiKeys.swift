import Fluent

/// Personal API keys.
struct CreateApiKeys: AsyncMigration {
    var name: String { "006_CreateApiKeys" }

    func prepare(on database: any Database) async throws {
        try await database.schema("api_keys")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("prefix", .string, .required)
            .field("key_digest", .string, .required)
            .field("scopes", .array(of: .string), .required)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "prefix")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_keys").delete()
    }
}
