import ReliefCore
import Testing

@Suite("Weighted round-robin")
struct RoundRobinTests {
    static let team = "team-1"

    static func agents(weights: [Int]) -> [AssignmentAgent] {
        weights.enumerated().map { index, weight in
            AssignmentAgent(
                id: "a\(index)", name: "Agent \(index)", teamIDs: [team], weight: weight)
        }
    }

    /// Gives `leads` leads one at a time to the agents who are not away, updating the counters as
    /// the app does, and calls `check` after each one.
    static func assign(
        _ leads: Int, to agents: inout [AssignmentAgent],
        check: ([AssignmentAgent]) -> Void = { _ in }
    ) {
        for _ in 0..<leads {
            let picked = RoundRobin.pick(candidates: agents.filter { !$0.isAway }, inTeam: team)
            guard let index = agents.firstIndex(where: { $0.id == picked?.id }) else {
                Issue.record("nobody was picked")
                return
            }
            agents[index].assignedCounts[team, default: 0] += 1
            check(agents)
        }
    }

    static func counts(_ agents: [AssignmentAgent]) -> [Int] {
        agents.map { $0.assignedCount(inTeam: team) }
    }

    @Test("10,000 leads to 7 equal agents: never more than one apart")
    func equalAgents() {
        var agents = Self.agents(weights: Array(repeating: 1, count: 7))
        Self.assign(10_000, to: &agents) { agents in
            let counts = Self.counts(agents)
            #expect(counts.max()! - counts.min()! <= 1)
        }
        #expect(Self.counts(agents).sorted() == [1_428, 1_428, 1_428, 1_429, 1_429, 1_429, 1_429])
    }

    @Test("equal agents take strict turns in id order")
    func strictTurns() {
        var agents = Self.agents(weights: [1, 1, 1])
        var order: [String] = []
        for _ in 0..<6 {
            let picked = RoundRobin.pick(candidates: agents, inTeam: Self.team)!
            order.append(picked.id)
            agents[agents.firstIndex { $0.id == picked.id }!].assignedCounts[Self.team] =
                picked.assignedCount(inTeam: Self.team) + 1
        }
        #expect(order == ["a0", "a1", "a2", "a0", "a1", "a2"])
    }

    @Test(
        "weighted agents stay within one lead of their exact share after every lead",
        arguments: [[1, 2, 3], [1, 1, 5], [1, 1, 1, 1, 1, 1, 10], [3, 5, 7, 11], [2, 2, 4]])
    func weightedShares(weights: [Int]) {
        var agents = Self.agents(weights: weights)
        let totalWeight = weights.reduce(0, +)
        var given = 0
        Self.assign(3_000, to: &agents) { agents in
            given += 1
            for agent in agents {
                // |count - given × weight / totalWeight| < 1, in integers.
                let scaledGap =
                    agent.assignedCount(inTeam: Self.team) * totalWeight - given * agent.weight
                #expect(abs(scaledGap) < totalWeight, "\(weights) after \(given)")
            }
        }
        if weights == [1, 2, 3] { #expect(Self.counts(agents) == [500, 1_000, 1_500]) }
    }

    @Test("an agent who goes away is skipped and the others stay balanced")
    func awayMidStream() {
        var agents = Self.agents(weights: Array(repeating: 1, count: 7))
        Self.assign(3_000, to: &agents)
        let awayCount = agents[3].assignedCount(inTeam: Self.team)
        agents[3].isAway = true
        Self.assign(4_000, to: &agents) { agents in
            let present = Self.counts(agents.filter { !$0.isAway })
            #expect(present.max()! - present.min()! <= 1)
        }
        #expect(agents[3].assignedCount(inTeam: Self.team) == awayCount)
        #expect(Self.counts(agents).reduce(0, +) == 7_000)
    }

    @Test("a newcomer starts at their share instead of taking every lead")
    func rejoining() {
        var agents = Self.agents(weights: Array(repeating: 1, count: 7))
        Self.assign(7_000, to: &agents)
        var newcomer = AssignmentAgent(id: "a7", name: "New", teamIDs: [Self.team])
        let start = RoundRobin.rejoiningCount(
            for: newcomer, inTeam: Self.team, teammates: agents + [newcomer])
        #expect(start == 1_000)
        newcomer.assignedCounts[Self.team] = start
        agents.append(newcomer)
        Self.assign(800, to: &agents)
        #expect(Self.counts(agents) == Array(repeating: 1_100, count: 8))

        let heavy = AssignmentAgent(id: "h", name: "Heavy", weight: 2)
        #expect(
            RoundRobin.rejoiningCount(for: heavy, inTeam: Self.team, teammates: agents) == 2_200)
        let ahead = AssignmentAgent(id: "x", name: "Ahead", assignedCounts: [Self.team: 5_000])
        #expect(
            RoundRobin.rejoiningCount(for: ahead, inTeam: Self.team, teammates: agents) == 5_000)
        #expect(RoundRobin.rejoiningCount(for: newcomer, inTeam: Self.team, teammates: []) == 1_000)
    }

    @Test("ties go to the smaller count then the smaller id; other teams' counters do not count")
    func ties() {
        let team = Self.team
        let busyElsewhere = AssignmentAgent(
            id: "b", name: "B", assignedCounts: ["other": 900, team: 4])
        let same = AssignmentAgent(id: "a", name: "A", assignedCounts: [team: 4])
        let behind = AssignmentAgent(id: "c", name: "C", weight: 2, assignedCounts: [team: 10])
        // Shortfalls (N + 1) × w − W × c with N = 18, W = 4: a and b 3, c −2.
        #expect(
            RoundRobin.pick(candidates: [busyElsewhere, behind, same], inTeam: team)?.id == "a")
        // With N = 1, W = 4 both fall 2 short: the smaller count wins over the smaller id.
        let fresh = AssignmentAgent(id: "z", name: "Z")
        let heavy = AssignmentAgent(id: "y", name: "Y", weight: 3, assignedCounts: [team: 1])
        #expect(RoundRobin.pick(candidates: [heavy, fresh], inTeam: team)?.id == "z")
        let zeroWeight = AssignmentAgent(id: "w", name: "W", weight: 0)
        #expect(RoundRobin.pick(candidates: [zeroWeight], inTeam: team)?.id == "w")
        #expect(RoundRobin.pick(candidates: [], inTeam: team) == nil)
    }
}
