/// An agent as the assignment engine sees them: membership, availability, load and skills.
public struct AssignmentAgent: Sendable, Equatable, Identifiable {
    public var id: String
    /// Shown in the decision's explanation.
    public var name: String
    public var teamIDs: Set<String>
    /// The agent's share of a team's round-robin relative to teammates; below 1 counts as 1.
    public var weight: Int
    /// Deactivated users never receive leads.
    public var isActive: Bool
    public var isAway: Bool
    /// Leads the agent owns that are still open.
    public var openLeads: Int
    /// The most open leads the agent may own; nil for no limit.
    public var capacity: Int?
    /// USPS codes of the states where the agent is licensed.
    public var licensedStates: Set<String>
    /// Language codes the agent speaks ("en", "es").
    public var languages: Set<String>
    /// Leads the round-robin has given the agent so far, by team id. The app keeps these counters
    /// per (team, agent) and must update a team's counters one assignment at a time (a row lock
    /// on the team) for the distribution to stay exact under concurrency.
    public var assignedCounts: [String: Int]

    public init(
        id: String, name: String, teamIDs: Set<String> = [], weight: Int = 1,
        isActive: Bool = true, isAway: Bool = false, openLeads: Int = 0, capacity: Int? = nil,
        licensedStates: Set<String> = [], languages: Set<String> = [],
        assignedCounts: [String: Int] = [:]
    ) {
        self.id = id
        self.name = name
        self.teamIDs = teamIDs
        self.weight = weight
        self.isActive = isActive
        self.isAway = isAway
        self.openLeads = openLeads
        self.capacity = capacity
        self.licensedStates = licensedStates
        self.languages = languages
        self.assignedCounts = assignedCounts
    }

    /// How many leads the round-robin of team `teamID` has given the agent.
    public func assignedCount(inTeam teamID: String) -> Int { assignedCounts[teamID] ?? 0 }
}
