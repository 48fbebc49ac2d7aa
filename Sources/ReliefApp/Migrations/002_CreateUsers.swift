import Fluent

/// Staff users.
struct CreateUsers: AsyncMigration {
    var name: String { "002_CreateUsers" }

    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("role", .string, .required)
            .field("password_hash", .string)
            .field("is_active", .bool, .required)
            .field("languages", .array(of: .string), .required)
            .field("licensed_states", .array(of: .string), .required)
            .field("skills", .array(of: .string), .required)
            .field("theme", .string, .required)
            .field("totp_secret", .string)
            .field("totp_enabled_at", .datetime)
            .field("totp_last_step", .int64)
            .field("last_login_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").delete()
    }
}
