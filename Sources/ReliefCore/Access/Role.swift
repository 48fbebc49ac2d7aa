/// A staff member's role inside one organization. Roles map to permissions through
/// ``PermissionMatrix``; record-level visibility comes from ``RecordScope``.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    case owner
    case admin
    case manager
    case agent
    case compliance
    case viewer

    /// A short human label for pages.
    public var label: String {
        switch self {
        case .owner: "Owner"
        case .admin: "Administrator"
        case .manager: "Manager"
        case .agent: "Agent"
        case .compliance: "Compliance officer"
        case .viewer: "Viewer"
        }
    }

    /// Rank used to stop a user granting a role above their own (owner highest).
    public var rank: Int {
        switch self {
        case .owner: 5
        case .admin: 4
        case .manager: 3
        case .compliance: 2
        case .agent: 1
        case .viewer: 0
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}
