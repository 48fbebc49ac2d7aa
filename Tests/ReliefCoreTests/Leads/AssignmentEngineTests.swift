import ReliefCore
import Testing

@Suite("Lead assignment rules engine")
struct AssignmentEngineTests {
    static let teamNames = ["spanish": "Spanish Desk", "sales": "Sales"]

    static let spanishDesk = [
        AssignmentAgent(
            id: "ben", name: "Ben", teamIDs: ["spanish"], isAway: true, languages: ["es"]),
        AssignmentAgent(
            id: "chloe", name: "Chloe", teamIDs: ["spanish"], openLeads: 200, capacity: 200,
            languages: ["es"]),
        AssignmentAgent(
            id: "diego", name: "Diego", teamIDs: ["spanish", "sales"], openLeads: 40, capacity: 200,
            licensedStates: ["TX"], languages: ["es", "en"], assignedCounts: ["spanish": 12]),
        AssignmentAgent(
            id: "elena", name: "Elena", teamIDs: ["spanish"], licensedStates: ["TX", "OK"],
            languages: ["es"], assignedCounts: ["spanish": 15]),
    ]

    static let texasSpanish = AssignmentRule(
        id: "r1", name: "Texas Spanish",
        conditions: AssignmentConditions(states: ["TX"], languages: ["es"]),
        target: .team("spanish"))

    static func decide(
        _ lead: AssignmentLead, _ rules: [AssignmentRule],
        agents: [AssignmentAgent] = spanishDesk, fallback: String? = nil
    ) -> AssignmentDecision {
        AssignmentEngine.decide(
            lead: lead, rules: rules, agents: agents, teamNames: teamNames,
            fallbackOwnerID: fallback)
    }

    @Test("a team rule skips away and full agents and picks by round-robin, explaining why")
    func teamRule() {
        let decision = Self.decide(AssignmentLead(state: "TX", language: "es"), [Self.texasSpanish])
        #expect(decision.ownerID == "diego")
        #expect(decision.teamID == "spanish")
        #expect(decision.ruleID == "r1")
        #expect(decision.ruleName == "Texas Spanish")
        #expect(
            decision.explanation == [
                "Rule 'Texas Spanish': state TX matches; language es matches; team Spanish Desk: "
                    + "skipped Ben (away), Chloe (at capacity 200/200); "
                    + "picked Diego (12 assigned, weight 1)"
            ])
    }

    @Test("rules are tried in order; non-matching and inactive rules say why")
    func order() {
        let florida = AssignmentRule(
            id: "r0", name: "Florida", conditions: AssignmentConditions(states: ["FL", "GA"]),
            target: .agent("elena"))
        let retired = AssignmentRule(
            id: "rx", name: "Old", isActive: false, target: .agent("elena"))
        let decision = Self.decide(
            AssignmentLead(state: "tx", language: "ES"), [florida, retired, Self.texasSpanish])
        #expect(decision.ruleID == "r1")
        #expect(decision.explanation.count == 3)
        #expect(decision.explanation[0] == "Rule 'Florida': state TX is not FL or GA; no match")
        #expect(decision.explanation[1] == "Rule 'Old': inactive, skipped")
    }

    @Test("a matching rule without an eligible agent falls through to the next")
    func fallThrough() {
        let licensed = AssignmentRule(
            id: "r2", name: "Licensed in NM",
            conditions: AssignmentConditions(requireLicense: true), target: .team("spanish"))
        let catchAll = AssignmentRule(id: "r3", name: "Everyone else", target: .agent("elena"))
        let decision = Self.decide(AssignmentLead(state: "NM"), [licensed, catchAll])
        #expect(decision.ownerID == "elena")
        #expect(decision.teamID == nil)
        #expect(decision.ruleID == "r3")
        #expect(
            decision.explanation == [
                "Rule 'Licensed in NM': agent must be licensed in NM; team Spanish Desk: "
                    + "skipped Ben (away), Chloe (at capacity 200/200), Diego (not licensed in NM), "
                    + "Elena (not licensed in NM); no eligible agent; trying the next rule",
                "Rule 'Everyone else': no conditions (matches every lead); assigned to Elena",
            ])
    }

    @Test("with no rule firing the fallback owner gets the lead, else nobody")
    func fallback() {
        let lead = AssignmentLead(state: "CA", language: "es")
        let withFallback = Self.decide(lead, [Self.texasSpanish], fallback: "elena")
        #expect(withFallback.ownerID == "elena")
        #expect(withFallback.ruleID == nil && withFallback.teamID == nil)
        #expect(
            withFallback.explanation.last
                == "No rule assigned the lead: it goes to the fallback owner Elena.")
        let unassigned = Self.decide(lead, [])
        #expect(unassigned.ownerID == nil)
        #expect(
            unassigned.explanation
                == [
                    "No rule assigned the lead and there is no fallback owner: it stays unassigned."
                ])
    }

    @Test("a license rule needs the lead's state and an agent licensed there")
    func license() {
        let rule = AssignmentRule(
            id: "r", name: "Licensed", conditions: AssignmentConditions(requireLicense: true),
            target: .team("spanish"))
        #expect(Self.decide(AssignmentLead(state: "OK"), [rule]).ownerID == "elena")
        let noState = Self.decide(AssignmentLead(zip: "73301"), [rule])
        #expect(noState.ownerID == nil)
        #expect(
            noState.explanation[0]
                == "Rule 'Licensed': a license is required but the state is unknown; no match")
    }

    @Test("a language rule needs an agent who speaks the lead's language")
    func language() {
        let rule = AssignmentRule(
            id: "r", name: "English", conditions: AssignmentConditions(languages: ["en"]),
            target: .team("spanish"))
        let decision = Self.decide(AssignmentLead(language: "en-US"), [rule])
        #expect(decision.ownerID == "diego")
        #expect(decision.explanation[0].contains("Elena (does not speak en)"))
        #expect(Self.decide(AssignmentLead(), [rule]).explanation[0].contains("language unknown"))
        #expect(Self.decide(AssignmentLead(language: "fr"), [rule]).ownerID == nil)
    }

    @Test(
        "the debt band includes its minimum and excludes its maximum",
        arguments: [
            (nil, false), (999_999, false), (1_000_000, true), (2_499_999, true),
            (2_500_000, false),
        ] as [(Int64?, Bool)])
    func debtBand(debt: Int64?, fires: Bool) {
        let rule = AssignmentRule(
            id: "r", name: "Mid",
            conditions: AssignmentConditions(minDebtCents: 1_000_000, maxDebtCents: 2_500_000),
            target: .agent("elena"))
        #expect(
            Self.decide(AssignmentLead(totalDebtCents: debt), [rule]).ruleID == (fires ? "r" : nil))
    }

    @Test("the explanation shows debt amounts in dollars")
    func debtText() {
        let rule = AssignmentRule(
            id: "r", name: "Big", conditions: AssignmentConditions(minDebtCents: 2_500_000),
            target: .agent("elena"))
        #expect(
            Self.decide(AssignmentLead(totalDebtCents: 1_234_567), [rule]).explanation[0]
                == "Rule 'Big': debt $12,345.67 is not at least $25,000; no match")
        let band = AssignmentRule(
            id: "b", name: "Band",
            conditions: AssignmentConditions(minDebtCents: 500_000, maxDebtCents: 100_000_000),
            target: .agent("elena"))
        #expect(
            Self.decide(AssignmentLead(totalDebtCents: 500_005), [band]).explanation[0]
                == "Rule 'Band': debt $5,000.05 is at least $5,000 and under $1,000,000; "
                + "assigned to Elena")
    }

    @Test("ZIP prefixes, area codes and sources match without case or spaces")
    func territoryAndSource() {
        let rule = AssignmentRule(
            id: "r", name: "Dallas Facebook",
            conditions: AssignmentConditions(
                zipPrefixes: ["750", "752"], areaCodes: ["214", "972"], sources: ["Facebook"]),
            target: .agent("elena"))
        let lead = AssignmentLead(zip: "75201-1234", areaCode: "972", source: " facebook ")
        let decision = Self.decide(lead, [rule])
        #expect(decision.ownerID == "elena")
        #expect(
            decision.explanation[0]
                == "Rule 'Dallas Facebook': ZIP 75201-1234 matches 752; area code 972 matches; "
                + "source facebook matches; assigned to Elena")
        var elsewhere = lead
        elsewhere.zip = "10001"
        elsewhere.source = "google"
        #expect(
            Self.decide(elsewhere, [rule]).explanation[0]
                == "Rule 'Dallas Facebook': ZIP 10001 does not start with 750 or 752; "
                + "area code 972 matches; source google is not facebook; no match")
    }

    @Test("an agent rule falls through when the agent cannot take leads or does not exist")
    func agentTarget() {
        let toBen = AssignmentRule(id: "r1", name: "Ben", target: .agent("ben"))
        let toGhost = AssignmentRule(id: "r2", name: "Ghost", target: .agent("ghost"))
        let decision = Self.decide(AssignmentLead(), [toBen, toGhost], fallback: "diego")
        #expect(decision.ownerID == "diego")
        #expect(
            decision.explanation == [
                "Rule 'Ben': no conditions (matches every lead); agent Ben: skipped (away); "
                    + "trying the next rule",
                "Rule 'Ghost': no conditions (matches every lead); agent ghost not found; "
                    + "trying the next rule",
                "No rule assigned the lead: it goes to the fallback owner Diego.",
            ])
        var inactive = Self.spanishDesk
        inactive[3].isActive = false
        let toElena = AssignmentRule(id: "r3", name: "Elena", target: .agent("elena"))
        #expect(Self.decide(AssignmentLead(), [toElena], agents: inactive).ownerID == nil)
    }

    @Test("a team without members falls through")
    func emptyTeam() {
        let rule = AssignmentRule(id: "r", name: "Night", target: .team("night"))
        #expect(
            Self.decide(AssignmentLead(), [rule]).explanation[0]
                == "Rule 'Night': no conditions (matches every lead); team night: no members; "
                + "trying the next rule")
    }

    @Test("a batch sees its own assignments: capacities fill and counters advance")
    func batch() {
        let agents = [
            AssignmentAgent(id: "a", name: "A", teamIDs: ["sales"], openLeads: 1, capacity: 3),
            AssignmentAgent(id: "b", name: "B", teamIDs: ["sales"]),
        ]
        let rule = AssignmentRule(id: "r", name: "All to sales", target: .team("sales"))
        let batch = AssignmentEngine.decideAll(
            leads: Array(repeating: AssignmentLead(), count: 6), rules: [rule], agents: agents,
            fallbackOwnerID: "b")
        #expect(batch.decisions.map(\.ownerID) == ["a", "b", "a", "b", "b", "b"])
        #expect(batch.decisions[4].explanation[0].contains("skipped A (at capacity 3/3)"))
        #expect(batch.agents[0].openLeads == 3)
        #expect(batch.agents[0].assignedCount(inTeam: "sales") == 2)
        #expect(batch.agents[1].openLeads == 4)
        #expect(batch.agents[1].assignedCount(inTeam: "sales") == 4)
    }

    @Test("the fallback owner's open leads count in a batch, but not toward a team")
    func batchFallback() {
        let agents = [AssignmentAgent(id: "a", name: "A")]
        let batch = AssignmentEngine.decideAll(
            leads: [AssignmentLead(), AssignmentLead()], rules: [], agents: agents,
            fallbackOwnerID: "a")
        #expect(batch.agents[0].openLeads == 2)
        #expect(batch.agents[0].assignedCounts.isEmpty)
    }

    static let sevenAgents = (0..<7).map {
        AssignmentAgent(id: "agent\($0)", name: "Agent \($0)", teamIDs: ["sales"])
    }
    static let salesRule = AssignmentRule(id: "r", name: "Sales", target: .team("sales"))

    @Test("10,000 leads assigned in a batch to 7 equal agents differ by at most one")
    func batchFairness() {
        let batch = AssignmentEngine.decideAll(
            leads: Array(repeating: AssignmentLead(), count: 10_000), rules: [Self.salesRule],
            agents: Self.sevenAgents, fallbackOwnerID: nil)
        let counts = batch.agents.map { $0.assignedCount(inTeam: "sales") }
        #expect(counts.reduce(0, +) == 10_000)
        #expect(counts.max()! - counts.min()! <= 1)
        #expect(batch.decisions.allSatisfy { $0.teamID == "sales" && $0.ruleID == "r" })
    }

    /// Stands in for the database: a team's counters are read and written one assignment at a
    /// time, as a row lock on the team does.
    actor TeamCounters {
        var agents: [AssignmentAgent]

        init(agents: [AssignmentAgent]) { self.agents = agents }

        func assign(_ lead: AssignmentLead) -> AssignmentDecision {
            let batch = AssignmentEngine.decideAll(
                leads: [lead], rules: [AssignmentEngineTests.salesRule], agents: agents,
                fallbackOwnerID: nil)
            agents = batch.agents
            return batch.decisions[0]
        }
    }

    @Test("10,000 leads assigned concurrently to 7 equal agents differ by at most one")
    func concurrentFairness() async {
        let counters = TeamCounters(agents: Self.sevenAgents)
        let owners = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<10_000 {
                group.addTask { await counters.assign(AssignmentLead()).ownerID }
            }
            var owners: [String: Int] = [:]
            for await owner in group { owners[owner ?? "nobody", default: 0] += 1 }
            return owners
        }
        #expect(owners.count == 7)
        #expect(owners.values.max()! - owners.values.min()! <= 1)
        let stored = await counters.agents.map { $0.assignedCount(inTeam: "sales") }
        #expect(stored.sorted() == owners.values.sorted())
    }
}
