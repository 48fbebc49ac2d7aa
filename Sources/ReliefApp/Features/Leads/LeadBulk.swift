import Fluent
import ReliefCore
import Vapor

/// What a bulk change does to each selected lead.
enum LeadBulkAction: String, Codable, CaseIterable, Sendable {
    case assign
    case assignByRules = "assign_by_rules"
    case tag
    case status

    var label: String {
        switch self {
        case .assign: "Assign to owner"
        case .assignByRules: "Assign by rules"
        case .tag: "Add tag"
        case .status: "Change status"
        }
    }

    /// The permission the action needs (the route itself requires `leads.write`).
    var permission: Permission {
        switch self {
        case .assign, .assignByRules: .leadsAssign
        case .tag, .status: .leadsWrite
        }
    }
}

/// A bulk change: the body of `POST /api/v1/leads/bulk`; the list page's form fills the same
/// fields.
struct LeadBulkRequest: Content, Sendable {
    var leadIDs: [UUID]
    var action: String
    var ownerID: UUID?
    var tag: String?
    var status: String?
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case action, tag, status, reason
        case leadIDs = "lead_ids"
        case ownerID = "owner_id"
    }
}

/// One lead's outcome in a bulk change.
struct LeadBulkOutcome: Content, Sendable {
    enum Result: String, Codable, Sendable {
        /// The lead changed (its timeline and the audit log say how).
        case changed
        /// The lead already was as asked (same owner, tag present).
        case unchanged
        /// The change is not allowed for this lead; `message` says why.
        case refused
        /// No such lead, or one the caller may not see.
        case notFound = "not_found"
    }

    var leadID: UUID
    var result: Result
    var message: String?

    enum CodingKeys: String, CodingKey {
        case result, message
        case leadID = "lead_id"
    }
}

/// The answer to a bulk change: totals and every lead's outcome, in the order asked.
struct LeadBulkReport: Content, Sendable {
    var action: String
    var changed: Int
    var unchanged: Int
    var refused: Int
    var notFound: Int
    var results: [LeadBulkOutcome]

    enum CodingKeys: String, CodingKey {
        case action, changed, unchanged, refused, results
        case notFound = "not_found"
    }

    init(action: LeadBulkAction, results: [LeadBulkOutcome]) {
        self.action = action.rawValue
        self.results = results
        changed = results.count { $0.result == .changed }
        unchanged = results.count { $0.result == .unchanged }
        refused = results.count { $0.result == .refused }
        notFound = results.count { $0.result == .notFound }
    }
}

/// Runs a bulk change lead by lead through ``LeadService``, so every changed lead gets its own
/// timeline entry and audit entry exactly as a single change would, then records one
/// `lead.bulk_action` audit entry with the totals. Leads the principal may not see are
/// reported as not found and never touched. Shared by the list page and the API.
struct LeadBulkRunner {
    static let maximumLeads = 500

    let req: Request

    /// The report, and the names of the leads that were found (for the page's summary).
    func run(_ request: LeadBulkRequest) async throws -> (
        report: LeadBulkReport, names: [UUID: String]
    ) {
        let principal = try req.principal
        var check = FieldCheck()
        var ids: [UUID] = []
        for id in request.leadIDs where !ids.contains(id) { ids.append(id) }
        check.require(!ids.isEmpty, "lead_ids", "Select at least one lead.")
        check.require(
            ids.count <= Self.maximumLeads, "lead_ids",
            "Change at most \(Self.maximumLeads) leads at once.")
        let action = LeadBulkAction(rawValue: request.action)
        check.require(
            action != nil, "action",
            "Use one of: " + LeadBulkAction.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        guard let action else { throw ValidationFailure(fields: check.errors) }
        guard principal.can(action.permission) else {
            throw Abort(
                .forbidden,
                reason: "\(action.label) needs the \(action.permission.rawValue) permission.")
        }
        var status: LeadStatus?
        switch action {
        case .assign:
            let owner = try await User.find(
                request.ownerID, in: principal.organizationID, on: req.db)
            check.require(
                owner?.isActive == true, "owner_id",
                "Choose an active user of this organization as the owner.")
        case .tag:
            check.require(
                !LeadTags.normalize(request.tag ?? "").isEmpty, "tag", "Enter the tag to add.")
        case .status:
            status = request.status.flatMap(LeadStatus.init(rawValue:))
            check.require(
                status != nil, "status",
                "Use one of: " + LeadStatus.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        case .assignByRules:
            break
        }
        try check.throwIfFailed()

        let found = try await req.leadSearch().visible.filter(\.$id ~~ ids).all()
        var leads: [UUID: Lead] = [:]
        for lead in found { if let id = lead.id { leads[id] = lead } }
        let ordered = ids.compactMap { leads[$0] }
        let service = try req.leads

        var outcomes: [UUID: LeadBulkOutcome] = [:]
        switch action {
        case .assign:
            for lead in ordered {
                let id = try lead.requireID()
                if lead.ownerID == request.ownerID {
                    outcomes[id] = LeadBulkOutcome(leadID: id, result: .unchanged)
                } else {
                    try await service.assign(
                        lead, ownerID: request.ownerID, teamID: lead.teamID, rule: nil)
                    outcomes[id] = LeadBulkOutcome(leadID: id, result: .changed)
                }
            }
        case .assignByRules:
            let before = ordered.map { ($0.ownerID, $0.teamID) }
            let decisions = try await service.assignByRules(ordered)
            for ((lead, decision), previous) in zip(zip(ordered, decisions), before) {
                let id = try lead.requireID()
                if decision.ownerID == nil {
                    outcomes[id] = LeadBulkOutcome(
                        leadID: id, result: .refused, message: decision.explanation.last)
                } else if previous.0 == lead.ownerID && previous.1 == lead.teamID {
                    outcomes[id] = LeadBulkOutcome(leadID: id, result: .unchanged)
                } else {
                    outcomes[id] = LeadBulkOutcome(leadID: id, result: .changed)
                }
            }
        case .tag:
            for lead in ordered {
                let id = try lead.requireID()
                let added = try await service.addTag(lead, request.tag ?? "")
                outcomes[id] = LeadBulkOutcome(leadID: id, result: added ? .changed : .unchanged)
            }
        case .status:
            guard let status else { break }
            for lead in ordered {
                let id = try lead.requireID()
                do {
                    try await service.changeStatus(lead, to: status, reason: request.reason)
                    outcomes[id] = LeadBulkOutcome(leadID: id, result: .changed)
                } catch let failure as ValidationFailure {
                    outcomes[id] = LeadBulkOutcome(
                        leadID: id, result: .refused, message: failure.summary)
                }
            }
        }

        let report = LeadBulkReport(
            action: action,
            results: ids.map { outcomes[$0] ?? LeadBulkOutcome(leadID: $0, result: .notFound) })
        try await req.audit(
            "lead.bulk_action", entityType: "lead",
            changes: AuditDiff.details([
                "action": action.rawValue, "requested": String(ids.count),
                "changed": String(report.changed), "unchanged": String(report.unchanged),
                "refused": String(report.refused), "not_found": String(report.notFound),
                "owner_id": action == .assign ? request.ownerID?.uuidString ?? "" : "",
                "tag": action == .tag ? LeadTags.normalize(request.tag ?? "") : "",
                "status": status?.rawValue ?? "",
            ]))
        return (report, leads.mapValues(\.fullName))
    }

    /// One line for the list page: "3 changed, 1 refused: Give a reason for Unqualified.
    /// (Rosa Diaz)". Refusals with the same reason are grouped, naming up to three leads.
    static func summary(_ report: LeadBulkReport, names: [UUID: String]) -> String {
        var counts = ["\(report.changed) changed"]
        if report.unchanged > 0 { counts.append("\(report.unchanged) unchanged") }
        if report.refused > 0 { counts.append("\(report.refused) refused") }
        if report.notFound > 0 { counts.append("\(report.notFound) not found") }
        var text = counts.joined(separator: ", ")
        var reasons: [String] = []
        var leadsByReason: [String: [String]] = [:]
        for outcome in report.results where outcome.result == .refused {
            let reason = outcome.message ?? "Refused."
            if leadsByReason[reason] == nil { reasons.append(reason) }
            leadsByReason[reason, default: []].append(names[outcome.leadID] ?? "")
        }
        if !reasons.isEmpty {
            text +=
                ": "
                + reasons.prefix(5).map { reason in
                    let leads = leadsByReason[reason] ?? []
                    let more = leads.count > 3 ? " and \(leads.count - 3) more" : ""
                    return "\(reason) (\(leads.prefix(3).joined(separator: ", "))\(more))"
                }.joined(separator: "; ")
        }
        return text
    }
}
