import Fluent
import ReliefCore
import SQLKit
import Vapor

/// Applies the organization's assignment rules (``AssignmentEngine``) to leads. Decisions for
/// one organization are serialized (an in-process lock plus, on PostgreSQL, a transaction
/// advisory lock) and read and write the round-robin counters inside that critical section,
/// so concurrent creates and imports split leads exactly by weight.
struct LeadAssigner: Sendable {
    let organizationID: UUID
    let database: any Database
    let locks: KeyedAsyncLock

    /// Statuses that count towards an agent's open-lead capacity.
    static let openStatuses: [LeadStatus] = [.new, .contacted, .qualified]

    /// What the engine needs: rules in order, agents with their load and counters.
    struct Snapshot: Sendable {
        var rules: [AssignmentRule]
        var agents: [AssignmentAgent]
        var teamNames: [String: String]
        var fallbackOwnerID: String?
    }

    /// The facts of a lead the rules look at.
    static func facts(of lead: some LeadFields, source: String?) -> AssignmentLead {
        AssignmentLead(
            state: lead.state.isEmpty ? nil : lead.state, zip: lead.zip.isEmpty ? nil : lead.zip,
            areaCode: lead.primaryPhone.map { String($0.dropFirst(2).prefix(3)) },
            language: lead.language, totalDebtCents: lead.statedUnsecuredDebtCents,
            source: source)
    }

    /// Loads rules, agents, open leads and counters. Open leads only matter for agents with a
    /// capacity, so deciding (`allOpenLeads: false`) counts theirs alone instead of grouping the
    /// whole lead table on every decision; the rules page shows everyone's.
    func snapshot(on database: any Database, allOpenLeads: Bool = true) async throws -> Snapshot {
        let rules = try await AssignmentRuleRecord.query(in: organizationID, on: database)
            .sort(\.$position).all().map { try $0.rule }
        let users = try await User.query(in: organizationID, on: database)
            .filter(\.$role ~~ [.agent, .manager]).all()
        let memberships = try await TeamMember.query(in: organizationID, on: database).all()
        let teams = try await Team.query(in: organizationID, on: database).all()
        let counters = try await RoundRobinCounter.query(in: organizationID, on: database).all()
        var open: [UUID: Int] = [:]
        let counted = users.filter { allOpenLeads || $0.leadCapacity != nil }.compactMap(\.id)
        if let sql = database as? any SQLDatabase, !counted.isEmpty {
            var query = sql.select().column("owner_id")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "open")
                .from(Lead.schema)
                .where("organization_id", .equal, organizationID)
                .where("status", .in, Self.openStatuses.map(\.rawValue))
                .where("owner_id", .isNot, SQLLiteral.null)
                .where("deleted_at", .is, SQLLiteral.null)
            if !allOpenLeads { query = query.where("owner_id", .in, counted) }
            let rows = try await query.groupBy("owner_id").all()
            for row in rows {
                open[try row.decode(column: "owner_id", as: UUID.self)] = try row.decode(
                    column: "open", as: Int.self)
            }
        }
        let agents = users.compactMap { user -> AssignmentAgent? in
            guard let id = user.id else { return nil }
            return AssignmentAgent(
                id: id.uuidString, name: user.name,
                teamIDs: Set(memberships.filter { $0.userID == id }.map(\.teamID.uuidString)),
                weight: user.assignmentWeight, isActive: user.isActive, isAway: user.isAway,
                openLeads: open[id] ?? 0, capacity: user.leadCapacity,
                licensedStates: Set(user.licensedStates), languages: Set(user.languages),
                assignedCounts: Dictionary(
                    counters.filter { $0.userID == id }.map {
                        ($0.teamID.uuidString, $0.assignedCount)
                    }, uniquingKeysWith: { first, _ in first }))
        }
        let organization = try await Organization.find(organizationID, on: database)
        return Snapshot(
            rules: rules, agents: agents,
            teamNames: Dictionary(
                teams.compactMap { team in team.id.map { ($0.uuidString, team.name) } },
                uniquingKeysWith: { first, _ in first }),
            fallbackOwnerID: organization?.fallbackOwnerID?.uuidString)
    }

    /// What the rules would do with `lead`, without changing anything (the rules page test).
    func preview(_ lead: AssignmentLead) async throws -> AssignmentDecision {
        let snapshot = try await snapshot(on: database)
        return AssignmentEngine.decide(
            lead: lead, rules: snapshot.rules, agents: snapshot.agents,
            teamNames: snapshot.teamNames, fallbackOwnerID: snapshot.fallbackOwnerID)
    }

    /// Decides owners for `leads` in order and stores the round-robin counters they consumed,
    /// atomically with respect to every other assignment in the organization.
    func decide(_ leads: [AssignmentLead]) async throws -> [AssignmentDecision] {
        guard !leads.isEmpty else { return [] }
        return try await locks.withLock("assignment:\(organizationID.uuidString)") {
            try await database.transaction { database in
                if let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" {
                    try await sql.raw(
                        "SELECT pg_advisory_xact_lock(hashtext(\(bind: "assignment:" + organizationID.uuidString)))"
                    ).run()
                }
                let snapshot = try await snapshot(on: database, allOpenLeads: false)
                let batch = AssignmentEngine.decideAll(
                    leads: leads, rules: snapshot.rules, agents: snapshot.agents,
                    teamNames: snapshot.teamNames, fallbackOwnerID: snapshot.fallbackOwnerID)
                try await storeCounters(before: snapshot.agents, after: batch.agents, on: database)
                return batch.decisions
            }
        }
    }

    private func storeCounters(
        before: [AssignmentAgent], after: [AssignmentAgent], on database: any Database
    ) async throws {
        let previous = Dictionary(
            before.map { ($0.id, $0.assignedCounts) }, uniquingKeysWith: { first, _ in first })
        for agent in after {
            for (teamID, count) in agent.assignedCounts
            where previous[agent.id]?[teamID] != count {
                guard let team = UUID(uuidString: teamID), let user = UUID(uuidString: agent.id)
                else { continue }
                if let row = try await RoundRobinCounter.query(in: organizationID, on: database)
                    .filter(\.$teamID == team).filter(\.$userID == user).first()
                {
                    row.assignedCount = count
                    try await row.save(on: database)
                } else {
                    try await RoundRobinCounter(
                        organizationID: organizationID, teamID: team, userID: user,
                        assignedCount: count
                    ).create(on: database)
                }
            }
        }
    }
}
