import Fluent
import ReliefCore
import Vapor

/// Changing the organization's assignment rules and agent availability, shared by the rules
/// page and the API. Every change is audited.
struct AssignmentRulesDirectory {
    let req: Request

    var organizationID: UUID { get throws { try req.principal.organizationID } }

    func records() async throws -> [AssignmentRuleRecord] {
        try await AssignmentRuleRecord.query(in: organizationID, on: req.db).sort(\.$position)
            .all()
    }

    /// Validates `rule` (its own checks, and that the target exists in the organization).
    func check(_ rule: AssignmentRule) async throws {
        var check = FieldCheck()
        for problem in rule.problems() { check.fail(problem.field, problem.message) }
        switch rule.target {
        case .team(let id):
            let team = try await Team.find(UUID(uuidString: id), in: organizationID, on: req.db)
            check.require(team != nil, "target", "Choose a team of this organization.")
        case .agent(let id):
            let user = try await User.find(UUID(uuidString: id), in: organizationID, on: req.db)
            check.require(
                user?.isActive == true, "target", "Choose an active user of this organization.")
        }
        try check.throwIfFailed()
    }

    @discardableResult
    func create(_ rule: AssignmentRule) async throws -> AssignmentRuleRecord {
        try await check(rule)
        let position = (try await records().map(\.position).max() ?? 0) + 1
        let record = try AssignmentRuleRecord(
            organizationID: organizationID, position: position, rule: rule)
        try await record.create(on: req.db)
        try await req.audit(
            "assignment_rule.created", entityType: "assignment_rule",
            entityID: record.id?.uuidString,
            changes: AuditDiff.details(["definition": record.definition]))
        return record
    }

    func update(_ record: AssignmentRuleRecord, to rule: AssignmentRule) async throws {
        try await check(rule)
        let before = record.definition
        try record.store(rule)
        try await record.save(on: req.db)
        var diff = AuditDiff()
        diff.field("definition", from: before, to: record.definition)
        try await req.audit(
            "assignment_rule.updated", entityType: "assignment_rule",
            entityID: record.id?.uuidString, changes: diff.json)
    }

    func delete(_ record: AssignmentRuleRecord) async throws {
        try await record.delete(on: req.db)
        try await req.audit(
            "assignment_rule.deleted", entityType: "assignment_rule",
            entityID: record.id?.uuidString, changes: AuditDiff.details(["name": record.name]))
    }

    /// Swaps the rule with its neighbour above (`up`) or below.
    func move(_ record: AssignmentRuleRecord, up: Bool) async throws {
        let all = try await records()
        guard let index = all.firstIndex(where: { $0.id == record.id }) else { return }
        let other = up ? index - 1 : index + 1
        guard all.indices.contains(other) else { return }
        let neighbour = all[other]
        let position = record.position
        try await req.db.transaction { database in
            record.position = neighbour.position
            neighbour.position = position
            try await record.save(on: database)
            try await neighbour.save(on: database)
        }
        try await req.audit(
            "assignment_rule.moved", entityType: "assignment_rule",
            entityID: record.id?.uuidString,
            changes: AuditDiff.details(["direction": up ? "up" : "down"]))
    }
}

/// `/app/admin/assignment`: the ordered rules, agent availability, fallback owner and a test
/// of the rules against a sample lead.
struct AssignmentWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let page = routes.grouped("admin", "assignment")
        page.get(use: index).access(.requires(.leadsAssign))
        page.get("rules", "new", use: newRule).access(.requires(.leadsAssign))
        page.post("rules", use: createRule).access(.requires(.leadsAssign))
        page.get("rules", ":id", use: editRule).access(.requires(.leadsAssign))
        page.post("rules", ":id", use: updateRule).access(.requires(.leadsAssign))
        page.post("rules", ":id", "delete", use: deleteRule).access(.requires(.leadsAssign))
        page.post("rules", ":id", "move", use: moveRule).access(.requires(.leadsAssign))
        page.post("agents", ":id", use: updateAgent).access(.requires(.leadsAssign))
        page.post("fallback", use: setFallback).access(.requires(.leadsAssign))
    }

    struct TestQuery: Content {
        var state: String?
        var zip: String?
        var phone: String?
        var language: String?
        var debt: String?
        var source: String?
    }

    func index(req: Request) async throws -> View {
        let principal = try req.principal
        let directory = AssignmentRulesDirectory(req: req)
        let assigner = LeadAssigner(
            organizationID: principal.organizationID, database: req.db, locks: req.relief.locks)
        let snapshot = try await assigner.snapshot(on: req.db)
        let names = try await LeadDirectoryNames.load(principal.organizationID, on: req.db)
        let records = try await directory.records()
        let rules = try records.enumerated().map { index, record in
            let rule = try record.rule
            return RuleRow(
                id: record.id?.uuidString ?? "", name: record.name, isActive: record.isActive,
                conditions: Self.describe(rule.conditions),
                target: Self.describe(rule.target, names: names), isFirst: index == 0,
                isLast: index == records.count - 1)
        }
        let test = try req.query.decode(TestQuery.self)
        var result: TestResult?
        if test.state != nil || test.zip != nil || test.phone != nil {
            let debt = try? MoneyAmount.nonNegativeCents(test.debt ?? "")
            let area = (try? PhoneNumber.parse(test.phone ?? ""))?.areaCode
            var state = test.state?.trimmingCharacters(in: .whitespaces).uppercased() ?? ""
            if state.isEmpty, let zip = test.zip, let entry = req.relief.geo.zips.entry(zip) {
                state = entry.state
            }
            let decision = try await assigner.preview(
                AssignmentLead(
                    state: state.isEmpty ? nil : state, zip: test.zip, areaCode: area,
                    language: test.language, totalDebtCents: debt, source: test.source))
            result = TestResult(
                owner: decision.ownerID.flatMap { UUID(uuidString: $0) }.flatMap {
                    names.users[$0]
                } ?? "Nobody (unassigned)",
                rule: decision.ruleName ?? (decision.ownerID == nil ? "—" : "Fallback owner"),
                explanation: decision.explanation)
        }
        let users = try await User.query(in: principal.organizationID, on: req.db)
            .filter(\.$isActive == true).sort(\.$name).all()
        let fallback = principal.organization.fallbackOwnerID
        return try await req.view.render(
            "assignment/index",
            AssignmentPage(
                page: req.pageContext(title: "Lead assignment", section: "assignment"),
                rules: rules,
                agents: snapshot.agents.sorted { $0.name < $1.name }.map { agent in
                    AgentRow(
                        id: agent.id, name: agent.name,
                        teams: agent.teamIDs.compactMap { snapshot.teamNames[$0] }.sorted()
                            .joined(separator: ", "),
                        isAway: agent.isAway, capacity: agent.capacity.map { String($0) } ?? "",
                        weight: agent.weight, openLeads: agent.openLeads,
                        licensed: agent.licensedStates.sorted().joined(separator: ", "),
                        languages: agent.languages.sorted().joined(separator: ", "))
                },
                fallbackOwners: [
                    SelectOption(
                        value: "", label: "Nobody (leave unassigned)", selected: fallback == nil)
                ]
                    + users.map {
                        SelectOption(
                            value: $0.id?.uuidString ?? "", label: $0.name,
                            selected: $0.id == fallback)
                    },
                test: TestForm(
                    state: test.state ?? "", zip: test.zip ?? "", phone: test.phone ?? "",
                    language: test.language ?? "", debt: test.debt ?? "", source: test.source ?? ""),
                result: result))
    }

    static func describe(_ conditions: AssignmentConditions) -> String {
        var parts: [String] = []
        if !conditions.states.isEmpty {
            parts.append("state " + conditions.states.joined(separator: "/"))
        }
        if !conditions.zipPrefixes.isEmpty {
            parts.append("ZIP " + conditions.zipPrefixes.map { $0 + "…" }.joined(separator: "/"))
        }
        if !conditions.areaCodes.isEmpty {
            parts.append("area code " + conditions.areaCodes.joined(separator: "/"))
        }
        if !conditions.languages.isEmpty {
            parts.append("language " + conditions.languages.joined(separator: "/"))
        }
        if let minimum = conditions.minDebtCents {
            parts.append("debt ≥ " + MoneyFormat.dollars(minimum, wholeDollars: true))
        }
        if let maximum = conditions.maxDebtCents {
            parts.append("debt < " + MoneyFormat.dollars(maximum, wholeDollars: true))
        }
        if !conditions.sources.isEmpty {
            parts.append("source " + conditions.sources.joined(separator: "/"))
        }
        if conditions.requireLicense { parts.append("agent licensed in the lead's state") }
        return parts.isEmpty ? "Every lead" : parts.joined(separator: "; ")
    }

    static func describe(_ target: AssignmentTarget, names: LeadDirectoryNames) -> String {
        switch target {
        case .team(let id):
            "Round-robin in team " + (UUID(uuidString: id).flatMap { names.teams[$0] } ?? id)
        case .agent(let id):
            "Agent " + (UUID(uuidString: id).flatMap { names.users[$0] } ?? id)
        }
    }

    // MARK: - rule form

    struct RuleForm: Content {
        var name: String?
        var isActive: String?
        var states: String?
        var zipPrefixes: String?
        var areaCodes: String?
        var languages: String?
        var minDebt: String?
        var maxDebt: String?
        var sources: String?
        var requireLicense: String?
        var targetType: String?
        var targetTeam: String?
        var targetAgent: String?

        enum CodingKeys: String, CodingKey {
            case name, states, languages, sources
            case isActive = "is_active"
            case zipPrefixes = "zip_prefixes"
            case areaCodes = "area_codes"
            case minDebt = "min_debt"
            case maxDebt = "max_debt"
            case requireLicense = "require_license"
            case targetType = "target_type"
            case targetTeam = "target_team"
            case targetAgent = "target_agent"
        }

        static func list(_ text: String?) -> [String] {
            (text ?? "").split(whereSeparator: { $0 == "," || $0 == ";" }).map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
        }

        /// The rule, or every field's problem.
        func rule(id: String) throws -> AssignmentRule {
            var check = FieldCheck()
            func money(_ text: String?, _ field: String) -> Int64? {
                guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                    return nil
                }
                do {
                    return try MoneyAmount.nonNegativeCents(text)
                } catch {
                    check.fail(field, error.message)
                    return nil
                }
            }
            let conditions = AssignmentConditions(
                states: Self.list(states).map { $0.uppercased() },
                zipPrefixes: Self.list(zipPrefixes), areaCodes: Self.list(areaCodes),
                languages: Self.list(languages).map { LanguageCode.code(for: $0) ?? $0 },
                minDebtCents: money(minDebt, "conditions.min_debt_cents"),
                maxDebtCents: money(maxDebt, "conditions.max_debt_cents"),
                sources: Self.list(sources), requireLicense: requireLicense == "yes")
            let target: AssignmentTarget
            if targetType == "agent" {
                target = .agent(targetAgent ?? "")
            } else {
                target = .team(targetTeam ?? "")
            }
            try check.throwIfFailed()
            return AssignmentRule(
                id: id, name: (name ?? "").trimmingCharacters(in: .whitespaces),
                isActive: isActive == "yes", conditions: conditions, target: target)
        }
    }

    private func renderForm(
        _ req: Request, record: AssignmentRuleRecord?, rule: AssignmentRule?,
        errors: FieldMessages, status: HTTPStatus = .ok
    ) async throws -> Response {
        let principal = try req.principal
        let teams = try await Team.query(in: principal.organizationID, on: req.db).sort(\.$name)
            .all()
        let users = try await User.query(in: principal.organizationID, on: req.db)
            .filter(\.$isActive == true).filter(\.$role ~~ [.agent, .manager]).sort(\.$name).all()
        let conditions = rule?.conditions ?? AssignmentConditions()
        var targetTeam = ""
        var targetAgent = ""
        var targetType = "team"
        switch rule?.target {
        case .team(let id): targetTeam = id
        case .agent(let id):
            targetAgent = id
            targetType = "agent"
        case nil: break
        }
        return try await req.render(
            "assignment/rule-form",
            RuleFormPage(
                page: req.pageContext(
                    title: record == nil ? "New assignment rule" : "Edit \(record?.name ?? "")",
                    section: "assignment"),
                id: record?.id?.uuidString ?? "", isNew: record == nil, name: rule?.name ?? "",
                isActive: rule?.isActive ?? true,
                states: conditions.states.joined(separator: ", "),
                zipPrefixes: conditions.zipPrefixes.joined(separator: ", "),
                areaCodes: conditions.areaCodes.joined(separator: ", "),
                languages: conditions.languages.joined(separator: ", "),
                minDebt: conditions.minDebtCents.map(MoneyFormat.plain) ?? "",
                maxDebt: conditions.maxDebtCents.map(MoneyFormat.plain) ?? "",
                sources: conditions.sources.joined(separator: ", "),
                requireLicense: conditions.requireLicense, targetIsAgent: targetType == "agent",
                teams: teams.map {
                    SelectOption(
                        value: $0.id?.uuidString ?? "", label: $0.name,
                        selected: $0.id?.uuidString == targetTeam)
                },
                agents: users.map {
                    SelectOption(
                        value: $0.id?.uuidString ?? "", label: $0.name,
                        selected: $0.id?.uuidString == targetAgent)
                },
                errors: errors),
            status: status)
    }

    func newRule(req: Request) async throws -> Response {
        try await renderForm(req, record: nil, rule: nil, errors: [:])
    }

    func createRule(req: Request) async throws -> Response {
        let form = try req.content.decode(RuleForm.self)
        var rule: AssignmentRule?
        do {
            rule = try form.rule(id: UUID().uuidString)
            try await AssignmentRulesDirectory(req: req).create(rule!)
            return req.redirectAfterPost(
                to: "/app/admin/assignment", flash: (.success, "Rule \(rule!.name) added."))
        } catch let failure as ValidationFailure {
            return try await renderForm(
                req, record: nil, rule: rule, errors: Self.formErrors(failure),
                status: .unprocessableEntity)
        }
    }

    private func find(_ req: Request) async throws -> AssignmentRuleRecord {
        try await AssignmentRuleRecord.findOr404(
            req.parameters.get("id", as: UUID.self), in: req.principal.organizationID, on: req.db)
    }

    func editRule(req: Request) async throws -> Response {
        let record = try await find(req)
        return try await renderForm(req, record: record, rule: try record.rule, errors: [:])
    }

    func updateRule(req: Request) async throws -> Response {
        let record = try await find(req)
        let form = try req.content.decode(RuleForm.self)
        var rule: AssignmentRule?
        do {
            rule = try form.rule(id: record.id?.uuidString ?? "")
            try await AssignmentRulesDirectory(req: req).update(record, to: rule!)
            return req.redirectAfterPost(
                to: "/app/admin/assignment", flash: (.success, "Rule saved."))
        } catch let failure as ValidationFailure {
            return try await renderForm(
                req, record: record, rule: rule, errors: Self.formErrors(failure),
                status: .unprocessableEntity)
        }
    }

    /// Engine field names (`conditions.zip_prefixes`) as the form's field names.
    static func formErrors(_ failure: ValidationFailure) -> FieldMessages {
        Dictionary(
            failure.fields.map { key, value in
                (
                    key.replacingOccurrences(of: "conditions.", with: "")
                        .replacingOccurrences(of: "_cents", with: ""), value
                )
            }, uniquingKeysWith: { first, _ in first })
    }

    func deleteRule(req: Request) async throws -> Response {
        let record = try await find(req)
        try await AssignmentRulesDirectory(req: req).delete(record)
        return req.redirectAfterPost(
            to: "/app/admin/assignment", flash: (.success, "Rule \(record.name) deleted."))
    }

    struct MoveForm: Content {
        var direction: String
    }

    func moveRule(req: Request) async throws -> Response {
        let record = try await find(req)
        let form = try req.content.decode(MoveForm.self)
        try await AssignmentRulesDirectory(req: req).move(record, up: form.direction == "up")
        return req.redirectAfterPost(to: "/app/admin/assignment")
    }

    struct AgentForm: Content {
        var isAway: String?
        var capacity: String?
        var weight: String?

        enum CodingKeys: String, CodingKey {
            case capacity, weight
            case isAway = "is_away"
        }
    }

    func updateAgent(req: Request) async throws -> Response {
        let principal = try req.principal
        let user = try await User.findOr404(
            req.parameters.get("id", as: UUID.self), in: principal.organizationID, on: req.db)
        let form = try req.content.decode(AgentForm.self)
        let capacityText = (form.capacity ?? "").trimmingCharacters(in: .whitespaces)
        let capacity = Int(capacityText)
        let weight = Int((form.weight ?? "1").trimmingCharacters(in: .whitespaces)) ?? 0
        guard capacityText.isEmpty || (capacity ?? -1) >= 0, (1...100).contains(weight) else {
            return req.redirectAfterPost(
                to: "/app/admin/assignment",
                flash: (
                    .error,
                    "Capacity must be a whole number (or blank for no limit) and weight 1 to 100."
                ))
        }
        var diff = AuditDiff()
        let isAway = form.isAway == "yes"
        diff.field("is_away", from: String(user.isAway), to: String(isAway))
        diff.field(
            "lead_capacity", from: user.leadCapacity.map { String($0) },
            to: capacity.map { String($0) })
        diff.field("assignment_weight", from: String(user.assignmentWeight), to: String(weight))
        if user.isAway && !isAway {
            try await rejoin(user, on: req)
        }
        user.isAway = isAway
        user.leadCapacity = capacity
        user.assignmentWeight = weight
        try await user.save(on: req.db)
        try await req.audit(
            "user.assignment_updated", entityType: "user", entityID: user.id?.uuidString,
            changes: diff.json)
        return req.redirectAfterPost(
            to: "/app/admin/assignment", flash: (.success, "\(user.name) updated."))
    }

    /// Lifts a returning agent's counters to their share, so they do not receive every new
    /// lead until their old counter catches up.
    private func rejoin(_ user: User, on req: Request) async throws {
        let principal = try req.principal
        let assigner = LeadAssigner(
            organizationID: principal.organizationID, database: req.db, locks: req.relief.locks)
        let snapshot = try await assigner.snapshot(on: req.db)
        guard let agent = snapshot.agents.first(where: { $0.id == user.id?.uuidString }) else {
            return
        }
        for teamID in agent.teamIDs {
            let teammates = snapshot.agents.filter {
                $0.teamIDs.contains(teamID) && $0.isActive && !$0.isAway
            }
            let count = RoundRobin.rejoiningCount(for: agent, inTeam: teamID, teammates: teammates)
            guard count != agent.assignedCount(inTeam: teamID), let team = UUID(uuidString: teamID),
                let userID = user.id
            else { continue }
            if let row = try await RoundRobinCounter.query(in: principal.organizationID, on: req.db)
                .filter(\.$teamID == team).filter(\.$userID == userID).first()
            {
                row.assignedCount = count
                try await row.save(on: req.db)
            } else {
                try await RoundRobinCounter(
                    organizationID: principal.organizationID, teamID: team, userID: userID,
                    assignedCount: count
                ).create(on: req.db)
            }
        }
    }

    struct FallbackForm: Content {
        var ownerID: String?

        enum CodingKeys: String, CodingKey {
            case ownerID = "owner_id"
        }
    }

    func setFallback(req: Request) async throws -> Response {
        let principal = try req.principal
        let form = try req.content.decode(FallbackForm.self)
        let ownerID = form.ownerID.flatMap(UUID.init(uuidString:))
        if let ownerID {
            guard try await User.find(ownerID, in: principal.organizationID, on: req.db) != nil
            else { throw Abort(.notFound, reason: "user not found.") }
        }
        let organization = principal.organization
        var diff = AuditDiff()
        diff.field(
            "fallback_owner_id", from: organization.fallbackOwnerID?.uuidString,
            to: ownerID?.uuidString)
        organization.fallbackOwnerID = ownerID
        try await organization.save(on: req.db)
        try await req.audit(
            "organization.updated", entityType: "organization",
            entityID: organization.id?.uuidString, changes: diff.json)
        return req.redirectAfterPost(
            to: "/app/admin/assignment", flash: (.success, "Fallback owner saved."))
    }
}

struct AssignmentPage: Encodable, Sendable {
    var page: PageContext
    var rules: [RuleRow]
    var agents: [AgentRow]
    var fallbackOwners: [SelectOption]
    var test: TestForm
    var result: TestResult?
}

struct RuleRow: Encodable, Sendable {
    var id: String
    var name: String
    var isActive: Bool
    var conditions: String
    var target: String
    var isFirst: Bool
    var isLast: Bool
}

struct AgentRow: Encodable, Sendable {
    var id: String
    var name: String
    var teams: String
    var isAway: Bool
    var capacity: String
    var weight: Int
    var openLeads: Int
    var licensed: String
    var languages: String
}

struct TestForm: Encodable, Sendable {
    var state: String
    var zip: String
    var phone: String
    var language: String
    var debt: String
    var source: String
}

struct TestResult: Encodable, Sendable {
    var owner: String
    var rule: String
    var explanation: [String]
}

struct RuleFormPage: Encodable, Sendable {
    var page: PageContext
    var id: String
    var isNew: Bool
    var name: String
    var isActive: Bool
    var states: String
    var zipPrefixes: String
    var areaCodes: String
    var languages: String
    var minDebt: String
    var maxDebt: String
    var sources: String
    var requireLicense: Bool
    var targetIsAgent: Bool
    var teams: [SelectOption]
    var agents: [SelectOption]
    var errors: FieldMessages
}
