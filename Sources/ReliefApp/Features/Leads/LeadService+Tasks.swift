import Fluent
import Foundation
import ReliefCore
import Vapor

extension LeadService {
    /// What a task form or API body sets; nil leaves a value as it is.
    struct TaskInput: Sendable {
        var title: String?
        var dueAt: Date?
        /// `.some(nil)` removes the reminder.
        var remindMinutesBefore: Int??
        /// The assignee; on a new task nil means the lead's owner (else the actor).
        var assigneeID: UUID?
    }

    /// Adds a follow-up task to the lead, with a `task` timeline entry and a `task.created`
    /// audit entry.
    @discardableResult
    func addTask(to lead: Lead, _ input: TaskInput) async throws -> LeadTask {
        let task = LeadTask()
        task.organizationID = organizationID
        task.leadID = try lead.requireID()
        task.createdBy = actor.userID
        try await applyTask(input, to: task, isNew: true, lead: lead)
        let zone = try await organizationZone()
        try await saveTask(
            task, lead: lead, action: "task.created",
            summary: "Task added: \(task.title)",
            body: "Due " + Self.taskDue(task.dueAt, zone: zone), before: [:])
        return task
    }

    /// Changes a task's title, due time, reminder or assignee. A changed reminder time is sent
    /// again when it comes.
    func updateTask(_ task: LeadTask, lead: Lead, _ input: TaskInput) async throws {
        let before = Self.snapshot(task)
        try await applyTask(input, to: task, isNew: false, lead: lead)
        guard Self.snapshot(task) != before else { return }
        let zone = try await organizationZone()
        try await saveTask(
            task, lead: lead, action: "task.updated", summary: "Task changed: \(task.title)",
            body: "Due " + Self.taskDue(task.dueAt, zone: zone), before: before)
    }

    /// Marks a task done (`completed`) or open again.
    func setTaskCompleted(_ task: LeadTask, lead: Lead, _ completed: Bool) async throws {
        guard (task.completedAt != nil) != completed else { return }
        let before = Self.snapshot(task)
        task.completedAt = completed ? services.now() : nil
        try await saveTask(
            task, lead: lead, action: completed ? "task.completed" : "task.reopened",
            summary: (completed ? "Task completed: " : "Task reopened: ") + task.title, body: "",
            before: before)
    }

    /// Deletes a task; the timeline keeps a `task` entry saying so.
    func deleteTask(_ task: LeadTask, lead: Lead) async throws {
        let now = services.now()
        try await database.transaction { database in
            try await task.delete(on: database)
            try await Activity(
                organizationID: organizationID, leadID: try lead.requireID(), kind: .task,
                occurredAt: now, actorID: actor.userID, actorLabel: actor.label,
                summary: "Task deleted: \(task.title)",
                data: AuditDiff.details(["task_id": task.id?.uuidString ?? ""])
            ).create(on: database)
        }
        try await services.audit.record(
            AuditEntry(
                organizationID: organizationID, actor: actor.audit, action: "task.deleted",
                entityType: "task", entityID: task.id?.uuidString,
                changes: AuditDiff.details([
                    "lead_id": lead.id?.uuidString ?? "", "title": task.title,
                ]), origin: actor.origin),
            on: database)
    }

    /// The audited view of a task.
    static func snapshot(_ task: LeadTask) -> [String: String] {
        func iso(_ date: Date?) -> String { date?.formatted(.iso8601) ?? "" }
        return [
            "title": task.title, "due_at": iso(task.dueAt), "remind_at": iso(task.remindAt),
            "assignee_id": task.assigneeID?.uuidString ?? "",
            "completed_at": iso(task.completedAt),
        ]
    }

    /// "Fri 2026-11-20 14:30 EST": a due time for the timeline, in the organization's zone.
    static func taskDue(_ date: Date, zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "EEE yyyy-MM-dd HH:mm zzz"
        return formatter.string(from: date)
    }

    /// The organization's time zone (due dates are typed and shown in it).
    func organizationZone() async throws -> TimeZone {
        let organization = try await Organization.find(organizationID, on: database)
        return organization.flatMap { TimeZone(identifier: $0.timeZone) }
            ?? TimeZone(identifier: "America/New_York")!
    }

    private func applyTask(_ input: TaskInput, to task: LeadTask, isNew: Bool, lead: Lead)
        async throws
    {
        let currentOffset =
            isNew ? nil : task.remindAt.map { Int(task.dueAt.timeIntervalSince($0) / 60) }
        var check = FieldCheck()
        if let title = input.title?.trimmingCharacters(in: .whitespacesAndNewlines) {
            check.require(
                !title.isEmpty && title.count <= 200, "title",
                "Enter what to do (up to 200 characters).")
            task.title = title
        } else if isNew {
            check.fail("title", "Enter what to do.")
        }
        if let dueAt = input.dueAt {
            task.dueAt = dueAt
        } else if isNew {
            check.fail("due_at", "Enter when the task is due.")
        }
        let minutes = input.remindMinutesBefore ?? currentOffset
        if let minutes {
            check.require(
                (0...TaskSchedule.maxReminderMinutes).contains(minutes), "remind_minutes_before",
                "Remind between 0 minutes and 7 days before the due time.")
        }
        var assignee = input.assigneeID
        if isNew && assignee == nil { assignee = lead.ownerID ?? actor.userID }
        if let assignee, assignee != task.assigneeID || isNew {
            let user = try await User.find(assignee, in: organizationID, on: database)
            check.require(
                user?.isActive == true, "assignee_id",
                "The assignee must be an active user of this organization.")
            task.assigneeID = assignee
        }
        try check.throwIfFailed()
        if isNew || input.dueAt != nil || input.remindMinutesBefore != nil {
            let remindAt = TaskSchedule.reminder(dueAt: task.dueAt, minutesBefore: minutes)
            if remindAt != task.remindAt { task.remindedAt = nil }
            task.remindAt = remindAt
        }
    }

    private func saveTask(
        _ task: LeadTask, lead: Lead, action: String, summary: String, body: String,
        before: [String: String]
    ) async throws {
        let now = services.now()
        let diff = AuditDiff.between(before, Self.snapshot(task))
        try await database.transaction { database in
            try await task.save(on: database)
            let details = AuditDiff.details(["task_id": try task.requireID().uuidString])
            try await Activity(
                organizationID: organizationID, leadID: try lead.requireID(), kind: .task,
                occurredAt: now, actorID: actor.userID, actorLabel: actor.label,
                summary: summary, body: body,
                data: String(details.dropLast()) + ",\"changes\":"
                    + (diff.isEmpty ? "{}" : diff.json) + "}"
            ).create(on: database)
        }
        var audited = diff
        audited.field("lead_id", from: nil, to: try lead.requireID().uuidString)
        try await services.audit.record(
            AuditEntry(
                organizationID: organizationID, actor: actor.audit, action: action,
                entityType: "task", entityID: task.id?.uuidString, changes: audited.json,
                origin: actor.origin),
            on: database)
    }
}

extension Request {
    /// The task `parameter` from the path with its lead, when the task belongs to the
    /// organization and its lead is visible to the principal or the principal is the task's
    /// assignee; 404 otherwise.
    func accessibleTask(_ parameter: String = "task") async throws -> (task: LeadTask, lead: Lead) {
        let principal = try principal
        let task = try await LeadTask.findOr404(
            parameters.get(parameter, as: UUID.self), in: principal.organizationID, on: db)
        guard let lead = try await Lead.find(task.leadID, in: principal.organizationID, on: db)
        else { throw Abort(.notFound, reason: "task not found.") }
        if task.assigneeID != principal.userID {
            guard try await LeadVisibility.of(principal, on: db).includes(lead) else {
                throw Abort(.notFound, reason: "task not found.")
            }
        }
        return (task, lead)
    }
}
