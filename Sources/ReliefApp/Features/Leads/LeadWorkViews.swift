import Fluent
import Foundation
import ReliefCore
import Vapor

/// The lead page's tasks, custom fields and marketing touches (part of ``LeadPage``).
struct LeadWorkspace: Encodable, Sendable {
    /// Form errors and typed values to show again after a refused task or custom field form.
    struct Errors: Sendable {
        var task: FieldMessages = [:]
        var taskValues: [String: String] = [:]
        var customFields: FieldMessages = [:]
        var customFieldValues: [String: String] = [:]
    }

    var openTasks: [TaskRow]
    var completedTasks: [TaskRow]
    var taskForm: TaskForm
    var customFields: [CustomFieldRow]
    /// Values of fields no longer in use, shown read-only.
    var retiredFields: [CustomFieldRow]
    var customFieldsHaveErrors: Bool
    var firstTouch: TouchView?
    var lastTouch: TouchView?

    /// Loads everything for `lead`, for the signed-in principal.
    static func load(_ req: Request, lead: Lead, errors: Errors = Errors()) async throws
        -> LeadWorkspace
    {
        let principal = try req.principal
        let organizationID = principal.organizationID
        let zoneID = principal.organization.timeZone
        let zone = TimeZone(identifier: zoneID) ?? .gmt
        let tasks = try await LeadTask.query(in: organizationID, on: req.db)
            .filter(\.$leadID == lead.requireID()).sort(\.$dueAt).all()
        let names = try await LeadDirectoryNames.load(organizationID, on: req.db)
        let rows = tasks.map { TaskRow($0, leadName: lead.fullName, names: names, req: req) }
        let users = try await User.query(in: organizationID, on: req.db)
            .filter(\.$isActive == true).sort(\.$name).all()
        let assignee = errors.taskValues["assignee_id"] ?? ""
        let remind = errors.taskValues["remind"] ?? "15"
        let definitions = try await CustomFieldDefinition.query(in: organizationID, on: req.db)
            .sort(\.$position).all()
        let values = CustomFieldValues.decode(lead.customFields)
        let fields = definitions.map { definition in
            CustomFieldRow(
                definition, stored: values[definition.key] ?? "",
                typed: errors.customFieldValues[definition.key],
                error: errors.customFields[definition.key] ?? "")
        }
        return LeadWorkspace(
            openTasks: rows.filter { !$0.isCompleted },
            completedTasks: rows.filter(\.isCompleted).reversed(),
            taskForm: TaskForm(
                title: errors.taskValues["title"] ?? "",
                dueDate: errors.taskValues["due_date"]
                    ?? CalendarDate(req.now.addingTimeInterval(86_400), in: zone).description,
                dueTime: errors.taskValues["due_time"] ?? "10:00",
                reminders: [SelectOption(value: "", label: "No reminder", selected: remind.isEmpty)]
                    + TaskSchedule.reminderChoices.map {
                        SelectOption(
                            value: String($0), label: TaskRow.reminderLabel($0),
                            selected: String($0) == remind)
                    },
                assignees: [
                    SelectOption(
                        value: "",
                        label: "Lead owner (\(lead.ownerID.flatMap { names.users[$0] } ?? "you"))",
                        selected: assignee.isEmpty)
                ]
                    + users.map {
                        SelectOption(
                            value: $0.id?.uuidString ?? "", label: $0.name,
                            selected: $0.id?.uuidString == assignee)
                    },
                timeZone: zoneID, errors: errors.task, open: !errors.task.isEmpty),
            customFields: fields.filter(\.isActive),
            retiredFields: fields.filter { !$0.isActive && !$0.value.isEmpty },
            customFieldsHaveErrors: !errors.customFields.isEmpty,
            firstTouch: TouchView(json: lead.firstTouch, zone: zoneID),
            lastTouch: TouchView(json: lead.lastTouch, zone: zoneID))
    }
}

/// A task as lists show it.
struct TaskRow: Encodable, Sendable {
    var id: String
    var leadID: String
    var leadName: String
    var title: String
    var due: String
    var dueISO: String
    /// `overdue`, `today`, `upcoming` or `completed` (``TaskSchedule/Bucket``).
    var bucket: String
    var reminder: String
    var assignee: String
    var completed: String
    var isCompleted: Bool

    init(_ task: LeadTask, leadName: String, names: LeadDirectoryNames, req: Request) {
        let zoneID = (try? req.principal.organization.timeZone) ?? "America/New_York"
        let zone = TimeZone(identifier: zoneID) ?? .gmt
        id = task.id?.uuidString ?? ""
        leadID = task.leadID.uuidString
        self.leadName = leadName
        title = task.title
        due = DisplayDate.string(task.dueAt, timeZone: zoneID)
        dueISO = task.dueAt.formatted(.iso8601)
        bucket =
            TaskSchedule.bucket(
                dueAt: task.dueAt, completedAt: task.completedAt, now: req.now, in: zone
            ).rawValue
        reminder =
            task.remindAt.map {
                Self.reminderLabel(Int(task.dueAt.timeIntervalSince($0) / 60))
                    + (task.remindedAt == nil ? "" : " (sent)")
            } ?? ""
        assignee = task.assigneeID.flatMap { names.users[$0] } ?? "Nobody"
        completed = task.completedAt.map { DisplayDate.string($0, timeZone: zoneID) } ?? ""
        isCompleted = task.completedAt != nil
    }

    /// "At the due time", "15 min before", "2 h before", "1 day before".
    static func reminderLabel(_ minutes: Int) -> String {
        switch minutes {
        case 0: "At the due time"
        case let minutes where minutes % 1440 == 0:
            "\(minutes / 1440) day\(minutes == 1440 ? "" : "s") before"
        case let minutes where minutes % 60 == 0: "\(minutes / 60) h before"
        default: "\(minutes) min before"
        }
    }
}

/// The "add a task" form on the lead page.
struct TaskForm: Encodable, Sendable {
    var title: String
    var dueDate: String
    var dueTime: String
    var reminders: [SelectOption]
    var assignees: [SelectOption]
    /// The organization's zone the due time is typed in.
    var timeZone: String
    var errors: FieldMessages
    var open: Bool
}

/// A custom field with the lead's value, for the lead page.
struct CustomFieldRow: Encodable, Sendable {
    var key: String
    var label: String
    var kind: String
    /// As the page shows it ("$1,250.00").
    var value: String
    /// As the form field holds it ("1250.00").
    var input: String
    /// `text`, `date` or `select`.
    var inputType: String
    var inputMode: String
    var options: [SelectOption]
    var error: String
    var isActive: Bool

    init(_ definition: CustomFieldDefinition, stored: String, typed: String?, error: String) {
        key = definition.key
        label = definition.label
        kind = definition.kind.rawValue
        value = stored.isEmpty ? "—" : definition.kind.display(stored)
        let input = typed ?? definition.kind.editable(stored)
        self.input = input
        switch definition.kind {
        case .date: (inputType, inputMode) = ("date", "")
        case .choice: (inputType, inputMode) = ("select", "")
        case .number, .money: (inputType, inputMode) = ("text", "decimal")
        case .text: (inputType, inputMode) = ("text", "")
        }
        options =
            [SelectOption(value: "", label: "—", selected: input.isEmpty)]
            + definition.choices.map { SelectOption(value: $0, label: $0, selected: $0 == input) }
        self.error = error
        isActive = definition.isActive
    }
}

/// A marketing touch (UTM parameters) for the lead page.
struct TouchView: Encodable, Sendable {
    var source: String
    var medium: String
    var campaign: String
    var term: String
    var content: String
    var landingPage: String
    var at: String

    /// Nil for an empty touch.
    init?(json: String, zone: String) {
        guard let touch = try? JSONDecoder().decode(MarketingTouch.self, from: Data(json.utf8)),
            !touch.isEmpty
        else { return nil }
        source = touch.source ?? ""
        medium = touch.medium ?? ""
        campaign = touch.campaign ?? ""
        term = touch.term ?? ""
        content = touch.content ?? ""
        landingPage = touch.landingPage ?? ""
        let instant = touch.at.flatMap { ISO8601DateFormatter().date(from: $0) }
        at = instant.map { DisplayDate.string($0, timeZone: zone) } ?? touch.at ?? ""
    }
}

/// `leads/merge`: the two leads side by side, one choice per differing field.
struct LeadMergePage: Encodable, Sendable {
    var page: PageContext
    var survivor: LeadLink
    var other: LeadLink
    var survivorStatus: String
    var otherStatus: String
    var fields: [MergeFieldRow]
    var lists: [MergeListRow]
    var moving: [String]
    var swapURL: String
    /// Why the last attempt was refused.
    var errors: [String]
}

/// One field of the merge form.
struct MergeFieldRow: Encodable, Sendable {
    /// The form field (`keep_first_name`, `keep_cf_<key>` for custom fields).
    var name: String
    var label: String
    var survivorValue: String
    var otherValue: String
    /// Whether the values differ, so there is something to choose.
    var differs: Bool
    var keepOther: Bool
}

/// A list both leads' entries of which are kept (phones, e-mails, tags).
struct MergeListRow: Encodable, Sendable {
    var label: String
    var survivorValue: String
    var otherValue: String
    var mergedValue: String
}

/// `tasks/index`: the signed-in user's open tasks by due time, and those done lately.
struct MyTasksPage: Encodable, Sendable {
    var page: PageContext
    /// Overdue, today and upcoming, each only when it has tasks.
    var groups: [TaskGroup]
    var completed: [TaskRow]
    var timeZone: String
}

/// Open tasks of one ``TaskSchedule/Bucket``.
struct TaskGroup: Encodable, Sendable {
    var key: String
    var title: String
    var tasks: [TaskRow]
}
