import Fluent

/// Agent availability for lead assignment (away, open-lead capacity, round-robin weight) and
/// the organization's fallback owner.
struct AddLeadAssignmentSettings: AsyncMigration {
    var name: String { "024_AddLeadAssignmentSettings" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema("users")
            .field("is_away", .bool, .required, .sql(.default(false))).update()
        try await database.schema("users").field("lead_capacity", .int).update()
        try await database.schema("users")
            .field("assignment_weight", .int, .required, .sql(.default(1))).update()
        try await database.schema("organizations")
            .field("fallback_owner_id", .uuid)
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("organizations").deleteField("fallback_owner_id").update()
        for field in ["is_away", "lead_capacity", "assignment_weight"] {
            try await database.schema("users").deleteField(.string(field)).update()
        }
    }
}
