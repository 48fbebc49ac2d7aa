import Fluent
import SQLKit

/// An index for the reminder sweep, which looks for open tasks whose reminder is due and has
/// not been sent (`reminded_at IS NULL AND remind_at <= now`).
struct AddTaskReminderIndex: AsyncMigration {
    var name: String { "032_AddTaskReminderIndex" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "tasks_reminder_due").on("tasks").column("reminded_at")
            .column("remind_at").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "tasks_reminder_due").run()
    }
}
