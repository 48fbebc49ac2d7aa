import Fluent
import Foundation
import ReliefCore
import SQLKit
import Vapor

/// Every minute: sends each open task whose reminder time has come to its assignee's live
/// topic (`user:<id>`, event `task.reminder`) and marks it reminded, once. Like the
/// maintenance job it sweeps every organization in one query; each task is then handled inside
/// its own organization.
struct TaskReminderJob: JobHandler {
    struct Payload: Codable, Sendable {}
    static let kind = "tasks.remind"
    /// Reminders handled per run; the rest wait for the next minute.
    static let batchSize = 500

    func run(_ payload: Payload, context: JobContext) async throws {
        let now = context.now
        let due = try await LeadTask.query(on: context.db).filter(\.$remindedAt == nil)
            .filter(\.$remindAt <= now).filter(\.$completedAt == nil).sort(\.$remindAt)
            .limit(Self.batchSize).all()
        var zones: [UUID: TimeZone] = [:]
        var sent = 0
        for task in due {
            guard try await claim(task, now: now, on: context.db) else { continue }
            let organizationID = task.organizationID
            guard let assigneeID = task.assigneeID,
                let lead = try await Lead.find(task.leadID, in: organizationID, on: context.db)
            else { continue }
            if zones[organizationID] == nil {
                let organization = try await Organization.find(organizationID, on: context.db)
                zones[organizationID] =
                    organization.flatMap { TimeZone(identifier: $0.timeZone) } ?? .gmt
            }
            let due = LeadService.taskDue(task.dueAt, zone: zones[organizationID] ?? .gmt)
            await context.application.live.publish(
                topic: "user:\(assigneeID.uuidString)", type: "task.reminder",
                data: [
                    "task": task.id?.uuidString ?? "", "lead": task.leadID.uuidString,
                    "title": task.title, "due_at": task.dueAt.formatted(.iso8601),
                    "href": "/app/leads/\(task.leadID.uuidString)",
                    "actor": "Due \(due)", "action": task.title, "entity": lead.fullName,
                ])
            sent += 1
        }
        if !due.isEmpty { context.logger.info("task reminders sent: \(sent) of \(due.count) due") }
    }

    /// Marks the task reminded unless another run already did; true when this run did.
    private func claim(_ task: LeadTask, now: Date, on database: any Database) async throws
        -> Bool
    {
        guard let sql = database as? any SQLDatabase, let id = task.id else { return false }
        let rows = try await sql.raw(
            """
            UPDATE tasks SET reminded_at = \(bind: now)
            WHERE id = \(bind: id) AND organization_id = \(bind: task.organizationID)
              AND reminded_at IS NULL RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }
}
