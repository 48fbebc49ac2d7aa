/// Weighted round-robin within a team, decided from the counters the app stores per (team, agent)
/// (``AssignmentAgent/assignedCounts``), so that any app node can make the next choice.
public enum RoundRobin {
    /// The candidate who should get team `teamID`'s next lead: the one furthest below their
    /// weighted share of what the candidates have been given. With N leads given among the
    /// candidates and W the sum of their weights, a candidate with count c and weight w is short
    /// of its share by (N + 1) × w − W × c; the largest shortfall wins, ties going to the smaller
    /// count, then the smaller id. Integer arithmetic only.
    ///
    /// This is smooth weighted round-robin: when the counters are updated after every pick, each
    /// candidate stays within one lead of its exact share N × w / W, equal weights take strict
    /// turns, and removing a candidate (away, at capacity) keeps the others balanced. Pass only
    /// eligible candidates; nil when there are none.
    public static func pick(candidates: [AssignmentAgent], inTeam teamID: String)
        -> AssignmentAgent?
    {
        let given = candidates.reduce(0) { $0 + $1.assignedCount(inTeam: teamID) }
        let totalWeight = candidates.reduce(0) { $0 + weight($1) }
        func shortfall(_ agent: AssignmentAgent) -> Int {
            (given + 1) * weight(agent) - totalWeight * agent.assignedCount(inTeam: teamID)
        }
        return candidates.max { lhs, rhs in
            let (lhsShortfall, rhsShortfall) = (shortfall(lhs), shortfall(rhs))
            if lhsShortfall != rhsShortfall { return lhsShortfall < rhsShortfall }
            let (lhsCount, rhsCount) = (
                lhs.assignedCount(inTeam: teamID), rhs.assignedCount(inTeam: teamID)
            )
            if lhsCount != rhsCount { return lhsCount > rhsCount }
            return lhs.id > rhs.id
        }
    }

    /// The counter to store for `agent` in team `teamID` when they join the team or come back
    /// from being away, so that they take their share of new leads rather than every lead until
    /// their old counter catches up: their weighted share of what the `teammates` (the team's
    /// other active members) have been given, rounded down, or their own counter if higher.
    public static func rejoiningCount(
        for agent: AssignmentAgent, inTeam teamID: String, teammates: [AssignmentAgent]
    ) -> Int {
        let others = teammates.filter { $0.id != agent.id }
        let given = others.reduce(0) { $0 + $1.assignedCount(inTeam: teamID) }
        let othersWeight = others.reduce(0) { $0 + weight($1) }
        guard othersWeight > 0 else { return agent.assignedCount(inTeam: teamID) }
        return max(agent.assignedCount(inTeam: teamID), given * weight(agent) / othersWeight)
    }

    static func weight(_ agent: AssignmentAgent) -> Int { max(1, agent.weight) }
}
