/// How many records of a kind (leads, tasks, messages) a user may see. Owners, admins,
/// compliance and viewers see the whole organization; managers see their teams; an agent sees
/// what the organization's ``AgentVisibility`` setting allows.
public enum RecordScope: Sendable, Equatable {
    /// Every record in the organization.
    case organization
    /// Records assigned to one of these teams or to the user.
    case teams(Set<String>, userID: String)
    /// Only records assigned to the user.
    case own(userID: String)

    /// The scope for a user of `role` in teams `teamIDs`, under the org's agent setting.
    public static func resolve(
        role: Role, userID: String, teamIDs: Set<String>, agentVisibility: AgentVisibility
    ) -> RecordScope {
        switch role {
        case .owner, .admin, .compliance, .viewer:
            return .organization
        case .manager:
            return .teams(teamIDs, userID: userID)
        case .agent:
            switch agentVisibility {
            case .own: return .own(userID: userID)
            case .ownAndTeam: return .teams(teamIDs, userID: userID)
            case .organization: return .organization
            }
        }
    }

    /// Whether a record owned by `ownerID` in team `teamID` is visible in this scope.
    public func includes(ownerID: String?, teamID: String?) -> Bool {
        switch self {
        case .organization:
            return true
        case .teams(let teams, let userID):
            if let ownerID, ownerID == userID { return true }
            if let teamID { return teams.contains(teamID) }
            return false
        case .own(let userID):
            return ownerID == userID
        }
    }
}

/// The organization's choice of which leads an agent sees.
public enum AgentVisibility: String, Sendable, Codable, CaseIterable {
    case own
    case ownAndTeam = "own_and_team"
    case organization

    public var label: String {
        switch self {
        case .own: "Only leads assigned to them"
        case .ownAndTeam: "Leads assigned to them or their team"
        case .organization: "Every lead in the organization"
        }
    }
}
