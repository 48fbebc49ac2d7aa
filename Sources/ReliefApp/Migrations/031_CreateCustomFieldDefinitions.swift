import Fluent

/// The custom lead fields each organization defines (values live in `leads.custom_fields`).
struct CreateCustomFieldDefinitions: AsyncMigration {
    var name: String { "031_CreateCustomFieldDefinitions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("custom_field_definitions")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("key", .string, .required)
            .field("label", .string, .required)
            .field("kind", .string, .required)
            .field("choices", .string, .required)
            .field("position", .int, .required)
            .field("is_active", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "organization_id", "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("custom_field_definitions").delete()
    }
}
