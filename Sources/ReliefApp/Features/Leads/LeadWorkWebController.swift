import Fluent
import Foundation
import ReliefCore
import Vapor

/// The lead page's work beyond the record itself: merging a duplicate
/// (`/app/leads/{id}/merge/{other}`), follow-up tasks (added on the lead page, listed for the
/// signed-in user at `/app/tasks`) and the lead's custom field values.
struct LeadWorkWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let leads = routes.grouped("leads")
        leads.get(":id", "merge", ":other", use: mergePage).access(.requires(.leadsWrite))
        leads.post(":id", "merge", ":other", use: merge).access(.requires(.leadsWrite))
        leads.post(":id", "tasks", use: addTask).access(.requires(.leadsWrite))
        leads.post(":id", "custom-fields", use: saveCustomFields).access(.requires(.leadsWrite))
        let tasks = routes.grouped("tasks")
        tasks.get(use: myTasks).access(.requires(.leadsRead))
        tasks.post(":task", "complete", use: completeTask).access(.requires(.leadsWrite))
        tasks.post(":task", "reopen", use: reopenTask).access(.requires(.leadsWrite))
        tasks.post(":task", "delete", use: deleteTask).access(.requires(.leadsWrite))
    }

    // MARK: - merge

    func mergePage(req: Request) async throws -> Response {
        let survivor = try await req.visibleLead()
        let other = try await req.visibleLead("other")
        guard survivor.id != other.id else {
            return req.redirectAfterPost(
                to: "/app/leads/\(try survivor.requireID())",
                flash: (.error, "A lead cannot be merged with itself."))
        }
        return try await renderMerge(req, survivor: survivor, other: other, keep: [:], errors: [:])
            .encodeResponse(for: req)
    }

    func merge(req: Request) async throws -> Response {
        let survivor = try await req.visibleLead()
        let other = try await req.visibleLead("other")
        let form = try req.content.decode([String: String].self)
        var keep: [String: String] = [:]
        for (name, side) in form where name.hasPrefix("keep_") {
            keep[Self.fieldKey(formName: name)] = side
        }
        do {
            try await req.leads.merge(survivor, absorbing: other, keep: keep)
            return req.redirectAfterPost(
                to: "/app/leads/\(try survivor.requireID())",
                flash: (.success, "Merged \(other.fullName) into \(survivor.fullName)."))
        } catch let failure as ValidationFailure {
            return try await renderMerge(
                req, survivor: survivor, other: other, keep: keep, errors: failure.fields
            ).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    /// The merge form's field name for a merge field key (`custom_fields.x` -> `keep_cf_x`).
    static func formName(fieldKey key: String) -> String {
        let prefix = "custom_fields."
        return "keep_"
            + (key.hasPrefix(prefix) ? "cf_" + key.dropFirst(prefix.count) : Substring(key))
    }

    /// The merge field key of a merge form field name.
    static func fieldKey(formName name: String) -> String {
        let key = name.dropFirst("keep_".count)
        return key.hasPrefix("cf_") ? "custom_fields." + key.dropFirst(3) : String(key)
    }

    private func renderMerge(
        _ req: Request, survivor: Lead, other: Lead, keep: [String: String],
        errors: FieldMessages
    ) async throws -> View {
        let principal = try req.principal
        let preview = try await req.leads.mergePreview(survivor: survivor, other: other)
        let names = try await LeadDirectoryNames.load(principal.organizationID, on: req.db)
        let definitions = try await CustomFieldDefinition.query(
            in: principal.organizationID, on: req.db
        ).all()
        let kinds = Dictionary(definitions.map { ($0.key, $0) }) { first, _ in first }
        var labels = Dictionary(LeadMerge.fields.map { ($0.key, $0.label) }) { first, _ in first }
        labels["owner"] = "Owner and team"
        let customKeys = Set(preview.survivorValues.keys).subtracting(labels.keys).sorted()
        for key in customKeys {
            let name = String(key.dropFirst("custom_fields.".count))
            labels[key] = kinds[name]?.label ?? name
        }
        func show(_ key: String, _ value: String) -> String {
            guard !value.isEmpty else { return "—" }
            switch key {
            case "phone": return (try? PhoneNumber.parse(value).formatted) ?? value
            case "address":
                return value.split(separator: "|").map(String.init).joined(separator: ", ")
            case "ssn": return "***-**-" + value.suffix(4)
            case "date_of_birth": return "On file"
            case "total_unsecured_debt_cents", "monthly_income_cents":
                return Int64(value).map { MoneyFormat.dollars($0) } ?? value
            case "language":
                return Locale(identifier: "en").localizedString(forLanguageCode: value) ?? value
            case "owner": return UUID(uuidString: value).flatMap { names.users[$0] } ?? "—"
            default:
                let name = String(key.dropFirst("custom_fields.".count))
                if key.hasPrefix("custom_fields."), let definition = kinds[name] {
                    return definition.kind.display(value)
                }
                return value
            }
        }
        let fields = (LeadMerge.fields.map(\.key) + ["owner"] + customKeys).compactMap {
            key -> MergeFieldRow? in
            let mine = preview.survivorValues[key] ?? ""
            let theirs = preview.otherValues[key] ?? ""
            if mine.isEmpty && theirs.isEmpty { return nil }
            let side = keep[key].flatMap(MergeSide.init(rawValue:)) ?? preview.defaults[key]
            return MergeFieldRow(
                name: Self.formName(fieldKey: key), label: labels[key] ?? key,
                survivorValue: show(key, mine), otherValue: show(key, theirs),
                differs: mine != theirs, keepOther: side == .other)
        }
        let merged = LeadMerge.mergedDraft(
            survivor: preview.survivorDraft, other: preview.otherDraft, sides: preview.defaults)
        func phones(_ draft: LeadDraft) -> String {
            draft.phones.map(\.number.formatted).joined(separator: ", ")
        }
        let lists = [
            MergeListRow(
                label: "Phones", survivorValue: phones(preview.survivorDraft),
                otherValue: phones(preview.otherDraft), mergedValue: phones(merged)),
            MergeListRow(
                label: "E-mails",
                survivorValue: preview.survivorDraft.emails.joined(separator: ", "),
                otherValue: preview.otherDraft.emails.joined(separator: ", "),
                mergedValue: merged.emails.joined(separator: ", ")),
            MergeListRow(
                label: "Tags", survivorValue: preview.survivorDraft.tags.joined(separator: ", "),
                otherValue: preview.otherDraft.tags.joined(separator: ", "),
                mergedValue: merged.tags.joined(separator: ", ")),
        ]
        func count(_ number: Int, _ noun: String, _ plural: String? = nil) -> String {
            "\(number) " + (number == 1 ? noun : plural ?? noun + "s")
        }
        let moving = preview.moving
        let survivorID = try survivor.requireID()
        let otherID = try other.requireID()
        return try await req.view.render(
            "leads/merge",
            LeadMergePage(
                page: req.pageContext(title: "Merge \(other.fullName)", section: "leads"),
                survivor: LeadLink(id: survivorID.uuidString, name: survivor.fullName),
                other: LeadLink(id: otherID.uuidString, name: other.fullName),
                survivorStatus: survivor.status.label, otherStatus: other.status.label,
                fields: fields, lists: lists,
                moving: [
                    count(moving.debts, "debt"), count(moving.consents, "consent record"),
                    count(moving.activities, "timeline entry", "timeline entries"),
                    count(moving.tasks, "task"),
                ],
                swapURL: "/app/leads/\(otherID)/merge/\(survivorID)",
                errors: errors.sorted { $0.key < $1.key }.map(\.value)))
    }

    // MARK: - tasks

    struct TaskFormInput: Content {
        var title: String?
        var dueDate: String?
        var dueTime: String?
        var remind: String?
        var assigneeID: String?

        enum CodingKeys: String, CodingKey {
            case title, remind
            case dueDate = "due_date"
            case dueTime = "due_time"
            case assigneeID = "assignee_id"
        }

        var values: [String: String] {
            [
                "title": title ?? "", "due_date": dueDate ?? "", "due_time": dueTime ?? "",
                "remind": remind ?? "", "assignee_id": assigneeID ?? "",
            ]
        }
    }

    func addTask(req: Request) async throws -> Response {
        let lead = try await req.visibleLead()
        let form = try req.content.decode(TaskFormInput.self)
        let zone = TimeZone(identifier: try req.principal.organization.timeZone) ?? .gmt
        do {
            var check = FieldCheck()
            var day: CalendarDate?
            do {
                day = try CalendarDate.parse(form.dueDate ?? "")
            } catch {
                check.fail("due_date", error.message)
            }
            var time: (hour: Int, minute: Int)?
            do {
                time = try TaskSchedule.time(form.dueTime ?? "")
            } catch {
                check.fail("due_time", error.message)
            }
            var minutes: Int??
            let remind = form.remind?.trimmingCharacters(in: .whitespaces) ?? ""
            if remind.isEmpty {
                minutes = .some(nil)
            } else if let value = Int(remind) {
                minutes = .some(value)
            } else {
                check.fail("remind", "Choose when to be reminded.")
            }
            try check.throwIfFailed()
            var input = LeadService.TaskInput(title: form.title, remindMinutesBefore: minutes)
            if let day, let time {
                input.dueAt = TaskSchedule.instant(
                    on: day, hour: time.hour, minute: time.minute, in: zone)
            }
            input.assigneeID = form.assigneeID.flatMap(UUID.init(uuidString:))
            let task = try await req.leads.addTask(to: lead, input)
            return req.redirectAfterPost(
                to: "/app/leads/\(try lead.requireID())",
                flash: (.success, "Task \(task.title) added."))
        } catch let failure as ValidationFailure {
            let rename = ["due_at": "due_date", "remind_minutes_before": "remind"]
            var fields: FieldMessages = [:]
            for (field, message) in failure.fields { fields[rename[field] ?? field] = message }
            return try await LeadsWebController().renderLead(
                req, lead: lead,
                workspaceErrors: LeadWorkspace.Errors(task: fields, taskValues: form.values)
            ).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    func myTasks(req: Request) async throws -> View {
        let principal = try req.principal
        let organizationID = principal.organizationID
        let since = req.now.addingTimeInterval(-7 * 86_400)
        let tasks = try await LeadTask.query(in: organizationID, on: req.db)
            .filter(\.$assigneeID == principal.userID)
            .group(.or) { $0.filter(\.$completedAt == nil).filter(\.$completedAt >= since) }
            .sort(\.$dueAt).limit(500).all()
        let leads = try await Lead.query(in: organizationID, on: req.db)
            .filter(\.$id ~~ Array(Set(tasks.map(\.leadID)))).all()
        let leadNames = Dictionary(leads.compactMap { lead in lead.id.map { ($0, lead.fullName) } })
        { first, _ in first }
        let names = try await LeadDirectoryNames.load(organizationID, on: req.db)
        let rows = tasks.compactMap { task in
            leadNames[task.leadID].map { TaskRow(task, leadName: $0, names: names, req: req) }
        }
        func bucket(_ bucket: TaskSchedule.Bucket) -> [TaskRow] {
            rows.filter { $0.bucket == bucket.rawValue }
        }
        let groups = [
            (TaskSchedule.Bucket.overdue, "Overdue"), (.today, "Today"), (.upcoming, "Upcoming"),
        ].map { TaskGroup(key: $0.0.rawValue, title: $0.1, tasks: bucket($0.0)) }
        return try await req.view.render(
            "tasks/index",
            MyTasksPage(
                page: req.pageContext(title: "My tasks", section: "tasks"),
                groups: groups.filter { !$0.tasks.isEmpty },
                completed: bucket(.completed).sorted { $0.completed > $1.completed },
                timeZone: principal.organization.timeZone))
    }

    struct TaskActionForm: Content {
        /// `lead` sends the browser back to the lead page, anything else to `/app/tasks`.
        var from: String?
    }

    func completeTask(req: Request) async throws -> Response {
        try await setCompleted(req, true)
    }

    func reopenTask(req: Request) async throws -> Response {
        try await setCompleted(req, false)
    }

    private func setCompleted(_ req: Request, _ completed: Bool) async throws -> Response {
        let (task, lead) = try await req.accessibleTask()
        try await req.leads.setTaskCompleted(task, lead: lead, completed)
        return try back(
            req, lead: lead,
            flash: completed ? "Task \(task.title) done." : "Task \(task.title) reopened.")
    }

    func deleteTask(req: Request) async throws -> Response {
        let (task, lead) = try await req.accessibleTask()
        try await req.leads.deleteTask(task, lead: lead)
        return try back(req, lead: lead, flash: "Task \(task.title) deleted.")
    }

    private func back(_ req: Request, lead: Lead, flash: String) throws -> Response {
        let form = try? req.content.decode(TaskActionForm.self)
        let target =
            form?.from == "lead" ? "/app/leads/\(try lead.requireID())" : "/app/tasks"
        return req.redirectAfterPost(to: target, flash: (.success, flash))
    }

    // MARK: - custom fields

    func saveCustomFields(req: Request) async throws -> Response {
        let lead = try await req.visibleLead()
        let form = try req.content.decode([String: String].self)
        var changes: [String: String] = [:]
        for (name, value) in form where name.hasPrefix("cf_") {
            changes[String(name.dropFirst(3))] = value
        }
        let service = try req.leads
        do {
            let current = try await LeadDrafts.current(of: lead, service: service)
            try await service.update(lead, with: current, customFields: changes)
            return req.redirectAfterPost(
                to: "/app/leads/\(try lead.requireID())", flash: (.success, "Custom fields saved."))
        } catch let failure as ValidationFailure {
            var fields: FieldMessages = [:]
            for (field, message) in failure.fields {
                fields[String(field.dropFirst("custom_fields.".count))] = message
            }
            return try await LeadsWebController().renderLead(
                req, lead: lead,
                workspaceErrors: LeadWorkspace.Errors(
                    customFields: fields, customFieldValues: changes)
            ).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }
}
