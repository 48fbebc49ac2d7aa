import Foundation

/// Where a lead is in the sales pipeline. Raw values are stored and appear in the API.
public enum LeadStatus: String, Sendable, Codable, CaseIterable, Comparable {
    case new
    case contacted
    case qualified
    case enrolled
    case settled
    case notInterested = "not_interested"
    case unqualified
    case unreachable
    case doNotContact = "do_not_contact"
    /// An enrolled client who left the program.
    case cancelled

    /// The pipeline's main path, in order (the board's columns before the closed ones).
    public static let mainPath: [LeadStatus] = [.new, .contacted, .qualified, .enrolled, .settled]

    /// Statuses that end the sales conversation without an enrollment.
    public static let closedLost: [LeadStatus] = [
        .notInterested, .unqualified, .unreachable, .doNotContact, .cancelled,
    ]

    public var label: String {
        switch self {
        case .new: "New"
        case .contacted: "Contacted"
        case .qualified: "Qualified"
        case .enrolled: "Enrolled"
        case .settled: "Settled"
        case .notInterested: "Not interested"
        case .unqualified: "Unqualified"
        case .unreachable: "Unreachable"
        case .doNotContact: "Do not contact"
        case .cancelled: "Cancelled"
        }
    }

    /// Board and list order: the main path, then the closed statuses.
    public var position: Int { (Self.mainPath + Self.closedLost).firstIndex(of: self) ?? 0 }

    public static func < (lhs: LeadStatus, rhs: LeadStatus) -> Bool {
        lhs.position < rhs.position
    }

    /// Whether the lead counts as a client (enrolled or beyond).
    public var isClient: Bool { self == .enrolled || self == .settled }
}

/// What a status change must carry besides the new status.
public enum TransitionRequirement: String, Sendable, Codable, Equatable {
    /// A free-text reason (Unqualified, Cancelled, Do not contact).
    case reason
    /// At least one debt marked enrolled (Enrolled).
    case enrolledDebt = "enrolled_debt"
}

/// The facts a transition check needs about the lead.
public struct TransitionFacts: Sendable, Equatable {
    public var reason: String?
    public var enrolledDebtCount: Int

    public init(reason: String?, enrolledDebtCount: Int) {
        self.reason = reason
        self.enrolledDebtCount = enrolledDebtCount
    }
}

/// Why a status change is refused; `field` names the input to fix.
public struct TransitionProblem: Error, Sendable, Equatable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// The allowed status changes and what each needs: one table, read by the API, the lead page,
/// the board (which greys out columns a card cannot move to) and bulk status changes.
public enum PipelineRules {
    /// Statuses reachable from each status. Any open lead can be closed as not interested,
    /// unqualified, unreachable or do-not-contact; an enrolled client leaves only by settling or
    /// cancelling; a closed lead can be reopened to New or Contacted (except Do not contact,
    /// which only a compliance review reopens to New).
    public static let transitions: [LeadStatus: Set<LeadStatus>] = [
        .new: [.contacted, .qualified, .notInterested, .unqualified, .unreachable, .doNotContact],
        .contacted: [
            .new, .qualified, .notInterested, .unqualified, .unreachable, .doNotContact,
        ],
        .qualified: [
            .contacted, .enrolled, .notInterested, .unqualified, .unreachable, .doNotContact,
        ],
        .enrolled: [.settled, .cancelled, .doNotContact],
        .settled: [.enrolled, .doNotContact],
        .notInterested: [.new, .contacted, .doNotContact],
        .unqualified: [.new, .contacted, .qualified, .doNotContact],
        .unreachable: [.new, .contacted, .doNotContact],
        .doNotContact: [.new],
        .cancelled: [.enrolled, .doNotContact],
    ]

    /// What moving into `status` requires.
    public static func requirements(for status: LeadStatus) -> [TransitionRequirement] {
        switch status {
        case .unqualified, .cancelled, .doNotContact: [.reason]
        case .enrolled: [.enrolledDebt]
        default: []
        }
    }

    /// Whether `from -> to` is in the table.
    public static func allows(_ from: LeadStatus, _ to: LeadStatus) -> Bool {
        transitions[from]?.contains(to) ?? false
    }

    /// Every problem with moving a lead from `from` to `to`; empty when the move is allowed.
    public static func problems(from: LeadStatus, to: LeadStatus, facts: TransitionFacts)
        -> [TransitionProblem]
    {
        if from == to {
            return [TransitionProblem(field: "status", message: "The lead is already \(to.label).")]
        }
        guard allows(from, to) else {
            return [
                TransitionProblem(
                    field: "status",
                    message: "A lead cannot move from \(from.label) to \(to.label).")
            ]
        }
        var problems: [TransitionProblem] = []
        for requirement in requirements(for: to) {
            switch requirement {
            case .reason:
                let reason = facts.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                if reason.isEmpty {
                    problems.append(
                        TransitionProblem(
                            field: "reason", message: "Give a reason for \(to.label)."))
                }
            case .enrolledDebt:
                if facts.enrolledDebtCount == 0 {
                    problems.append(
                        TransitionProblem(
                            field: "debts",
                            message: "Mark at least one debt as enrolled before enrolling the lead."
                        ))
                }
            }
        }
        return problems
    }
}
