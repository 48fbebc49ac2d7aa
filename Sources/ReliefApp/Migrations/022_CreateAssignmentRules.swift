import Fluent

/// The organization's ordered lead assignment rules; `definition` is the JSON of a
/// ``AssignmentRule`` (conditions and target).
struct CreateAssignmentRules: AsyncMigration {
    var name: String { "022_CreateAssignmentRules" }

    func prepare(on database: any Database) async throws {
        try await database.schema("assignment_rules")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("position", .int, .required)
            .field("name", .string, .required)
            .field("is_active", .bool, .required)
            .field("definition", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("assignment_rules").delete()
    }
}
