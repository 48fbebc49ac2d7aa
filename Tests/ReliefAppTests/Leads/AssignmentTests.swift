import Fluent
import ReliefCore
import Testing
import Vapor

@testable import ReliefApp

/// Assignment rules applied by the app: storage, the rules page, creates through the API, and
/// fairness of the round-robin under concurrency.
@Suite("Lead assignment")
struct AssignmentTests {
    /// Seven agents in one team, licensed in TX, and a rule sending every lead to the team.
    private func sevenAgents(_ app: Application, _ fixture: Fixture) async throws -> (UUID, [User])
    {
        let org = fixture.organization
        var agents: [User] = []
        for index in 1...7 {
            let user = try await OrganizationSetup.addUser(
                to: org, email: "rr\(index)@acme.example", name: "Agent \(index)", role: .agent,
                password: Fixture.password, app: app)
            user.licensedStates = ["TX"]
            user.languages = index <= 2 ? ["en", "es"] : ["en"]
            try await user.save(on: app.db)
            agents.append(user)
        }
        let team = Team(organizationID: try org.requireID, name: "Closers", managerID: nil)
        try await team.create(on: app.db)
        for agent in agents {
            try await TeamMember(
                organizationID: try org.requireID, teamID: try team.requireID(),
                userID: try agent.requireID
            ).create(on: app.db)
        }
        return (try team.requireID(), agents)
    }

    @Test("10,000 leads decided in 500 concurrent batches split evenly across 7 agents")
    func fairUnderConcurrency() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (teamID, agents) = try await sevenAgents(app, fixture)
            let orgID = try fixture.organization.requireID
            try await AssignmentRuleRecord(
                organizationID: orgID, position: 1,
                rule: AssignmentRule(
                    id: "all", name: "Everyone", isActive: true,
                    conditions: AssignmentConditions(), target: .team(teamID.uuidString))
            ).create(on: app.db)
            let assigner = LeadAssigner(
                organizationID: orgID, database: app.db, locks: app.relief.locks)
            let lead = AssignmentLead(state: "TX", zip: "77002", language: "en")
            let owners = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<500 {
                    group.addTask {
                        try await assigner.decide(Array(repeating: lead, count: 20))
                            .compactMap(\.ownerID)
                    }
                }
                var all: [String] = []
                for try await batch in group { all += batch }
                return all
            }
            #expect(owners.count == 10_000)
            let counts = Dictionary(grouping: owners, by: { $0 }).mapValues(\.count)
            #expect(counts.count == 7)
            let spread = (counts.values.max() ?? 0) - (counts.values.min() ?? 0)
            #expect(spread <= 1, "counts \(counts.values.sorted())")
            let stored = try await RoundRobinCounter.query(in: orgID, on: app.db).all()
            #expect(stored.reduce(0) { $0 + $1.assignedCount } == 10_000)
            #expect(Set(stored.map(\.userID)) == Set(try agents.map { try $0.requireID }))
        }
    }

    @Test("new leads follow territory and skill rules, skip away agents, then the fallback")
    func rulesOnCreate() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (teamID, agents) = try await sevenAgents(app, fixture)
            let orgID = try fixture.organization.requireID
            let directory = [
                AssignmentRule(
                    id: "es", name: "Spanish Texas", isActive: true,
                    conditions: AssignmentConditions(
                        states: ["TX"], languages: ["es"], requireLicense: true),
                    target: .team(teamID.uuidString)),
                AssignmentRule(
                    id: "fl", name: "Florida desk", isActive: true,
                    conditions: AssignmentConditions(states: ["FL"]),
                    target: .agent(try agents[6].requireID.uuidString)),
            ]
            for (index, rule) in directory.enumerated() {
                try await AssignmentRuleRecord(organizationID: orgID, position: index, rule: rule)
                    .create(on: app.db)
            }
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            func create(_ json: String) async throws -> [String: Any] {
                let response = try await api.call(.POST, "/api/v1/leads", json: json)
                #expect(response.status == .created, "\(response.body.string)")
                return try response.json()
            }
            // Spanish speakers in Texas go to the two agents who speak Spanish, by turns.
            var spanish: [String] = []
            for index in 0..<4 {
                let lead = try await create(
                    #"{"first_name":"Luz","last_name":"R\#(index)","phone":"71355502\#(index)0","zip":"77002","language":"es"}"#
                )
                spanish.append(lead["owner_id"] as? String ?? "")
                #expect(lead["assignment_rule"] as? String == "Spanish Texas")
                #expect(lead["team_id"] as? String == teamID.uuidString)
            }
            let speakers = Set(try agents[0...1].map { try $0.requireID.uuidString })
            #expect(Set(spanish) == speakers)
            #expect(spanish.filter { $0 == spanish[0] }.count == 2)

            // The Florida agent is away: the rule falls through, then the fallback owner.
            agents[6].isAway = true
            try await agents[6].save(on: app.db)
            let organization = fixture.organization
            organization.fallbackOwnerID = try fixture.users[.manager]!.requireID
            try await organization.save(on: app.db)
            let florida = try await create(
                #"{"first_name":"Ann","last_name":"Fl","phone":"3055550100","state":"FL"}"#)
            #expect(
                florida["owner_id"] as? String
                    == (try fixture.users[.manager]!.requireID.uuidString))
            #expect(florida["assignment_rule"] as? String == "fallback owner")

            // The timeline says which rule fired.
            let id = try #require(florida["id"] as? String)
            let timeline = try await api.call(.GET, "/api/v1/leads/\(id)/timeline").jsonArray()
            #expect(
                timeline.contains { ($0["summary"] as? String)?.contains("fallback owner") == true }
            )
        }
    }

    @Test("the rules page orders, edits and tests rules against a sample lead")
    func rulesPage() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (teamID, _) = try await sevenAgents(app, fixture)
            let browser = Browser(app)
            try await browser.signIn(fixture.users[.manager]!.email)
            #expect(try await browser.get("/app/admin/assignment").status == .ok)
            #expect(try await browser.get("/app/admin/assignment/rules/new").status == .ok)
            let bad = try await browser.post(
                "/app/admin/assignment/rules",
                [
                    ("name", ""), ("zip_prefixes", "12a"), ("target_type", "team"),
                    ("target_team", ""),
                ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("field-error"))
            for (name, state) in [("Texas", "TX"), ("Florida", "FL")] {
                let created = try await browser.post(
                    "/app/admin/assignment/rules",
                    [
                        ("name", name), ("is_active", "yes"), ("states", state),
                        ("target_type", "team"), ("target_team", teamID.uuidString),
                    ])
                #expect(created.status == .seeOther)
            }
            let rules = try await AssignmentRuleRecord.query(on: app.db).sort(\.$position).all()
            #expect(rules.map(\.name) == ["Texas", "Florida"])
            let moved = try await browser.post(
                "/app/admin/assignment/rules/\(try rules[1].requireID())/move",
                [("direction", "up")])
            #expect(moved.status == .seeOther)
            let reordered = try await AssignmentRuleRecord.query(on: app.db).sort(\.$position).all()
            #expect(reordered.map(\.name) == ["Florida", "Texas"])

            let tested = try await browser.get("/app/admin/assignment?zip=77002&phone=7135550100")
                .body.string
            #expect(tested.contains("Rule &#39;Florida&#39;") || tested.contains("Rule 'Florida'"))
            #expect(tested.contains("Texas"))
            #expect(tested.contains("Agent "))
            let audit = try await AuditEvent.query(on: app.db)
                .filter(\.$action == "assignment_rule.created").count()
            #expect(audit == 2)

            let agent = Browser(app)
            try await agent.signIn(fixture.users[.agent]!.email)
            #expect(try await agent.get("/app/admin/assignment").status == .forbidden)
        }
    }

    @Test("an agent at their open-lead capacity is skipped by the round-robin")
    func capacity() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (teamID, agents) = try await sevenAgents(app, fixture)
            let orgID = try fixture.organization.requireID
            try await AssignmentRuleRecord(
                organizationID: orgID, position: 1,
                rule: AssignmentRule(
                    id: "all", name: "Everyone", isActive: true,
                    conditions: AssignmentConditions(), target: .team(teamID.uuidString))
            ).create(on: app.db)
            for (index, agent) in agents.enumerated() {
                agent.leadCapacity = index == 0 ? 1 : 0
                try await agent.save(on: app.db)
            }
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            var owners: [String] = []
            for index in 0..<3 {
                let body =
                    #"{"first_name":"Cap","last_name":"L\#(index)","phone":"21255503\#(index)0"}"#
                let lead = try await api.call(.POST, "/api/v1/leads", json: body).json()
                owners.append(lead["owner_id"] as? String ?? "none")
            }
            // The first lead fills agent 1's capacity; nobody else has room: unassigned.
            #expect(owners[0] == (try agents[0].requireID.uuidString))
            #expect(owners[1...].allSatisfy { $0 == "none" })
        }
    }
}
