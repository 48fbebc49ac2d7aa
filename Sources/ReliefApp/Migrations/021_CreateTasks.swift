import Fluent
import SQLKit

/// Follow-up tasks on leads with a due time and an optional reminder for the assignee.
struct CreateTasks: AsyncMigration {
    var name: String { "021_CreateTasks" }

    func prepare(on database: any Database) async throws {
        try await database.schema("tasks")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("lead_id", .uuid, .required, .references("leads", "id", onDelete: .cascade))
            .field("assignee_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("title", .string, .required)
            .field("due_at", .datetime, .required)
            .field("remind_at", .datetime)
            .field("reminded_at", .datetime)
            .field("completed_at", .datetime)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "tasks_lead").on("tasks").column("lead_id").run()
        try await sql.create(index: "tasks_assignee_due").on("tasks").column("organization_id")
            .column("assignee_id").column("due_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("tasks").delete()
    }
}
