import Fluent

/// Two-factor recovery codes.
struct CreateRecoveryCodes: AsyncMigration {
    var name: String { "008_CreateRecoveryCodes" }

    func prepare(on database: any Database) async throws {
        try await database.schema("recovery_codes")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("code_digest", .string, .required)
            .field("used_at", .datetime)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("recovery_codes").delete()
    }
}
