import Foundation
import ReliefCore
import Vapor

/// `leads/pipeline`: the board.
struct PipelinePage: Encodable, Sendable {
    var page: PageContext
    var summary: String
    var filters: LeadFilters
    /// The main path's columns, then the closed statuses' (narrower) columns.
    var columns: [BoardColumn]
    var closedColumns: [BoardColumn]
    /// The board's filters as a query string; moves return to it.
    var view: String
    var listURL: String
    /// Filters of the list the board's form has no inputs for (heat, created dates, sort),
    /// kept as hidden fields.
    var carried: [HiddenField]
    var canWrite: Bool
}

/// A hidden form field.
struct HiddenField: Encodable, Sendable {
    var name: String
    var value: String
}

/// One status column: its count and enrolled debt, and the first cards.
struct BoardColumn: Encodable, Sendable {
    var status: String
    var label: String
    var count: Int
    var debt: String
    /// Moving a card here needs a reason (Unqualified, Cancelled, Do not contact).
    var needsReason: Bool
    var cards: [BoardCard]
    /// The list filtered to this status.
    var listURL: String
    /// More leads than cards shown: the column links to the list for the rest.
    var isTruncated: Bool
}

/// A lead on the board.
struct BoardCard: Encodable, Sendable {
    var id: String
    var name: String
    var phone: String
    var owner: String
    var debt: String
    /// "Today", "1 day", "12 days" since the status last changed.
    var inStage: String
    /// The statuses the lead may move to (``PipelineRules``), for the "Move to" menu.
    var targets: [SelectOption]
    /// The same, space-separated, for the drag and drop script.
    var targetKeys: String
}

/// `leads/pipeline-move`: asks for the reason a move needs (the board without JavaScript).
struct PipelineMovePage: Encodable, Sendable {
    var page: PageContext
    var lead: LeadLink
    var status: String
    var statusLabel: String
    var view: String
    var boardURL: String
    var error: String
}

/// The JSON answer to a move from the board's script: the lead's new place and every column's
/// totals under the board's filters.
struct PipelineMoveResult: Content, Sendable {
    struct Target: Codable, Sendable {
        var value: String
        var label: String
    }

    struct Column: Codable, Sendable {
        var status: String
        var count: Int
        var debt: String
    }

    var id: String
    var status: String
    var statusLabel: String
    var targets: [Target]
    var columns: [Column]
    var message: String

    enum CodingKeys: String, CodingKey {
        case id, status, targets, columns, message
        case statusLabel = "status_label"
    }
}

extension BoardCard {
    /// How long the lead has been in its status, in whole days.
    static func inStage(since: Date, now: Date) -> String {
        let days = max(0, Int(now.timeIntervalSince(since) / 86_400))
        switch days {
        case 0: return "Today"
        case 1: return "1 day"
        default: return "\(days) days"
        }
    }

    /// The statuses `status` may move to, in board order.
    static func targets(from status: LeadStatus) -> [LeadStatus] {
        (PipelineRules.transitions[status] ?? []).sorted()
    }
}
