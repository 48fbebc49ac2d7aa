import Fluent
import Foundation
import ReliefCore
import Vapor

/// A task as the API returns it.
struct TaskDTO: Content {
    var id: UUID
    var leadID: UUID
    var leadName: String
    var title: String
    var dueAt: Date
    var remindAt: Date?
    var remindedAt: Date?
    var completedAt: Date?
    var assigneeID: UUID?
    var createdBy: UUID?
    var createdAt: Date?
    /// `open` or `completed`.
    var state: String

    enum CodingKeys: String, CodingKey {
        case id, title, state
        case leadID = "lead_id"
        case leadName = "lead_name"
        case dueAt = "due_at"
        case remindAt = "remind_at"
        case remindedAt = "reminded_at"
        case completedAt = "completed_at"
        case assigneeID = "assignee_id"
        case createdBy = "created_by"
        case createdAt = "created_at"
    }

    init(_ task: LeadTask, leadName: String) {
        id = task.id ?? UUID()
        leadID = task.leadID
        self.leadName = leadName
        title = task.title
        dueAt = task.dueAt
        remindAt = task.remindAt
        remindedAt = task.remindedAt
        completedAt = task.completedAt
        assigneeID = task.assigneeID
        createdBy = task.createdBy
        createdAt = task.createdAt
        state = task.completedAt == nil ? "open" : "completed"
    }
}

/// `POST /api/v1/leads/{id}/merge`, `/api/v1/leads/{id}/tasks` and `/api/v1/tasks`.
struct LeadWorkAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let leads = routes.grouped("leads")
        leads.post(":id", "merge", use: merge).access(.requires(.leadsWrite))
        leads.get(":id", "tasks", use: leadTasks).access(.requires(.leadsRead))
        leads.post(":id", "tasks", use: addTask).access(.requires(.leadsWrite))
        let tasks = routes.grouped("tasks")
        tasks.get(use: tasksList).access(.requires(.leadsRead))
        tasks.patch(":task", use: updateTask).access(.requires(.leadsWrite))
        tasks.delete(":task", use: deleteTask).access(.requires(.leadsWrite))
    }

    // MARK: - merge

    struct MergeRequest: Content {
        var otherID: UUID
        /// Field -> `survivor` or `other`; fields left out keep the survivor's value unless it
        /// is empty.
        var keep: [String: String]?

        enum CodingKeys: String, CodingKey {
            case keep
            case otherID = "other_id"
        }
    }

    struct MergeResponse: Content {
        struct Moved: Content {
            var debts: Int
            var consents: Int
            var activities: Int
            var tasks: Int
            var phones: Int
            var emails: Int
            var tags: Int
        }

        var lead: LeadDTO
        var absorbedID: UUID
        var moved: Moved

        enum CodingKeys: String, CodingKey {
            case lead, moved
            case absorbedID = "absorbed_id"
        }
    }

    func merge(req: Request) async throws -> MergeResponse {
        let survivor = try await req.visibleLead()
        let body = try req.content.decode(MergeRequest.self)
        let other = try await req.visibleLead(id: body.otherID)
        let moved = try await req.leads.merge(survivor, absorbing: other, keep: body.keep ?? [:])
        return MergeResponse(
            lead: try await LeadPresenter(req: req).dto(survivor, sensitive: false),
            absorbedID: body.otherID,
            moved: .init(
                debts: moved.debts, consents: moved.consents, activities: moved.activities,
                tasks: moved.tasks, phones: moved.phones, emails: moved.emails, tags: moved.tags))
    }

    // MARK: - tasks

    /// The body of `POST /api/v1/leads/{id}/tasks` and `PATCH /api/v1/tasks/{id}`.
    struct TaskRequest: Content {
        var title: String?
        /// ISO 8601, e.g. `2026-11-20T19:30:00Z`.
        var dueAt: String?
        /// Minutes before the due time; `null` removes the reminder, leaving it out keeps it.
        var remindMinutesBefore: Int??
        var assigneeID: UUID?
        var completed: Bool?

        enum CodingKeys: String, CodingKey {
            case title, completed
            case dueAt = "due_at"
            case remindMinutesBefore = "remind_minutes_before"
            case assigneeID = "assignee_id"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            title = try container.decodeIfPresent(String.self, forKey: .title)
            dueAt = try container.decodeIfPresent(String.self, forKey: .dueAt)
            if container.contains(.remindMinutesBefore) {
                remindMinutesBefore = .some(
                    try container.decodeIfPresent(Int.self, forKey: .remindMinutesBefore))
            }
            assigneeID = try container.decodeIfPresent(UUID.self, forKey: .assigneeID)
            completed = try container.decodeIfPresent(Bool.self, forKey: .completed)
        }

        /// The service input; a `due_at` that is not ISO 8601 is a field error.
        func input() throws -> LeadService.TaskInput {
            var input = LeadService.TaskInput(
                title: title, remindMinutesBefore: remindMinutesBefore, assigneeID: assigneeID)
            if let dueAt {
                let formatter = ISO8601DateFormatter()
                formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                guard
                    let date = ISO8601DateFormatter().date(from: dueAt)
                        ?? formatter.date(from: dueAt)
                else {
                    throw ValidationFailure(fields: [
                        "due_at": "Give the due time in ISO 8601, like 2026-11-20T19:30:00Z."
                    ])
                }
                input.dueAt = date
            }
            return input
        }
    }

    func leadTasks(req: Request) async throws -> [TaskDTO] {
        let lead = try await req.visibleLead()
        return try await LeadTask.query(in: req.principal.organizationID, on: req.db)
            .filter(\.$leadID == lead.requireID()).sort(\.$dueAt).all()
            .map { TaskDTO($0, leadName: lead.fullName) }
    }

    func addTask(req: Request) async throws -> Response {
        let lead = try await req.visibleLead()
        let body = try req.content.decode(TaskRequest.self)
        let service = try req.leads
        let task = try await service.addTask(to: lead, body.input())
        if body.completed == true { try await service.setTaskCompleted(task, lead: lead, true) }
        return try await TaskDTO(task, leadName: lead.fullName)
            .encodeResponse(status: .created, for: req)
    }

    struct TasksQuery: Content {
        /// `me` (the default) or a user id.
        var assignee: String?
        /// `open` (the default), `completed` or `all`.
        var state: String?
        var limit: Int?
    }

    /// Tasks of one assignee, soonest due first: the caller's own, or (with `leads.assign`)
    /// another user's on leads the caller may see.
    func tasksList(req: Request) async throws -> [TaskDTO] {
        let principal = try req.principal
        let query = try req.query.decode(TasksQuery.self)
        var assignee = principal.userID
        if let requested = query.assignee, requested != "me" {
            guard let id = UUID(uuidString: requested) else {
                throw ValidationFailure(fields: ["assignee": "Use me or a user id."])
            }
            guard id == principal.userID || principal.can(.leadsAssign) else {
                throw Abort(
                    .forbidden, reason: "Seeing others' tasks needs the leads.assign permission.")
            }
            assignee = id
        }
        var tasks = LeadTask.query(in: principal.organizationID, on: req.db)
            .filter(\.$assigneeID == assignee)
        switch query.state ?? "open" {
        case "open": tasks = tasks.filter(\.$completedAt == nil)
        case "completed": tasks = tasks.filter(\.$completedAt != nil)
        case "all": break
        default: throw ValidationFailure(fields: ["state": "Use open, completed or all."])
        }
        let rows = try await tasks.sort(\.$dueAt).limit(min(max(query.limit ?? 200, 1), 500))
            .all()
        let leads = try await Lead.query(in: principal.organizationID, on: req.db)
            .filter(\.$id ~~ Array(Set(rows.map(\.leadID)))).all()
        let visibility = try await LeadVisibility.of(principal, on: req.db)
        let shown = Dictionary(
            leads.filter { assignee == principal.userID || visibility.includes($0) }
                .compactMap { lead in lead.id.map { ($0, lead.fullName) } }
        ) { first, _ in first }
        return rows.compactMap { task in shown[task.leadID].map { TaskDTO(task, leadName: $0) } }
    }

    func updateTask(req: Request) async throws -> TaskDTO {
        let (task, lead) = try await req.accessibleTask()
        let body = try req.content.decode(TaskRequest.self)
        let service = try req.leads
        try await service.updateTask(task, lead: lead, body.input())
        if let completed = body.completed {
            try await service.setTaskCompleted(task, lead: lead, completed)
        }
        return TaskDTO(task, leadName: lead.fullName)
    }

    func deleteTask(req: Request) async throws -> HTTPStatus {
        let (task, lead) = try await req.accessibleTask()
        try await req.leads.deleteTask(task, lead: lead)
        return .noContent
    }
}
