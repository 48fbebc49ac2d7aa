import Foundation

/// Who gets a lead and why: the record kept with each assignment.
public struct AssignmentDecision: Sendable, Equatable, Codable {
    /// The agent who gets the lead; nil when it stays unassigned.
    public var ownerID: String?
    /// The team whose round-robin picked the owner; the app adds one to the owner's counter for
    /// this team. Nil when a rule named the agent directly or the fallback owner got the lead.
    public var teamID: String?
    /// The rule that fired; nil when no rule did.
    public var ruleID: String?
    public var ruleName: String?
    /// One line per rule tried, in order, then one on the fallback when no rule fired.
    public var explanation: [String]

    public init(
        ownerID: String?, teamID: String?, ruleID: String?, ruleName: String?,
        explanation: [String]
    ) {
        self.ownerID = ownerID
        self.teamID = teamID
        self.ruleID = ruleID
        self.ruleName = ruleName
        self.explanation = explanation
    }

    enum CodingKeys: String, CodingKey {
        case explanation
        case ownerID = "owner_id"
        case teamID = "team_id"
        case ruleID = "rule_id"
        case ruleName = "rule_name"
    }
}

/// The outcome of assigning several leads in order (an import, or a manager's selection).
public struct AssignmentBatch: Sendable, Equatable {
    /// One decision per lead, in the leads' order.
    public var decisions: [AssignmentDecision]
    /// The agents with the batch's leads added to their open leads and round-robin counters, to
    /// store back.
    public var agents: [AssignmentAgent]
}

/// Decides who owns a new or reassigned lead from the organization's ordered rules.
///
/// Rules are tried in order; inactive rules are skipped. A rule fires when all its conditions hold
/// (``AssignmentConditions``) and its target has an eligible agent: active, not away, below
/// capacity, licensed in the lead's state when the rule requires a license, and speaking the
/// lead's language when the rule has a language condition. A team target picks among its eligible
/// members by ``RoundRobin``. A rule that matches without an eligible agent falls through to the
/// next. When no rule fires the lead goes to the fallback owner, if any, else stays unassigned.
public enum AssignmentEngine {
    /// Assigns one lead. `teamNames` (team id to name) makes the explanation readable.
    public static func decide(
        lead: AssignmentLead, rules: [AssignmentRule], agents: [AssignmentAgent],
        teamNames: [String: String] = [:], fallbackOwnerID: String?
    ) -> AssignmentDecision {
        var explanation: [String] = []
        for rule in rules {
            let (choice, line) = evaluate(rule, lead: lead, agents: agents, teamNames: teamNames)
            explanation.append(line)
            if let choice {
                return AssignmentDecision(
                    ownerID: choice.ownerID, teamID: choice.teamID, ruleID: rule.id,
                    ruleName: rule.name, explanation: explanation)
            }
        }
        guard let fallbackOwnerID else {
            explanation.append(
                "No rule assigned the lead and there is no fallback owner: it stays unassigned.")
            return AssignmentDecision(
                ownerID: nil, teamID: nil, ruleID: nil, ruleName: nil, explanation: explanation)
        }
        let name = agents.first { $0.id == fallbackOwnerID }?.name ?? fallbackOwnerID
        explanation.append("No rule assigned the lead: it goes to the fallback owner \(name).")
        return AssignmentDecision(
            ownerID: fallbackOwnerID, teamID: nil, ruleID: nil, ruleName: nil,
            explanation: explanation)
    }

    /// Assigns `leads` one after another, each decision seeing the open leads and round-robin
    /// counters of the ones before it, so a batch respects capacities and stays balanced. When
    /// reassigning leads that already have owners, pass open-lead counts without those leads.
    public static func decideAll(
        leads: [AssignmentLead], rules: [AssignmentRule], agents: [AssignmentAgent],
        teamNames: [String: String] = [:], fallbackOwnerID: String?
    ) -> AssignmentBatch {
        var agents = agents
        let positions = Dictionary(
            agents.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let decisions = leads.map { lead in
            let decision = decide(
                lead: lead, rules: rules, agents: agents, teamNames: teamNames,
                fallbackOwnerID: fallbackOwnerID)
            if let ownerID = decision.ownerID, let position = positions[ownerID] {
                agents[position].openLeads += 1
                if let teamID = decision.teamID {
                    agents[position].assignedCounts[teamID, default: 0] += 1
                }
            }
            return decision
        }
        return AssignmentBatch(decisions: decisions, agents: agents)
    }

    /// The owner a rule chooses (nil when it does not fire) and the rule's line of explanation.
    private static func evaluate(
        _ rule: AssignmentRule, lead: AssignmentLead, agents: [AssignmentAgent],
        teamNames: [String: String]
    ) -> (choice: (ownerID: String, teamID: String?)?, line: String) {
        let head = "Rule '\(rule.name)': "
        guard rule.isActive else { return (nil, head + "inactive, skipped") }
        let checks = rule.conditions.checks(lead)
        let parts = checks.isEmpty ? ["no conditions (matches every lead)"] : checks.map(\.text)
        guard checks.allSatisfy(\.matches) else {
            return (nil, head + (parts + ["no match"]).joined(separator: "; "))
        }
        let needs = AgentNeeds(
            licenseState: rule.conditions.requireLicense ? normalizedState(lead.state) : nil,
            language: rule.conditions.languages.isEmpty ? nil : primaryLanguage(lead.language))
        let (choice, outcome) = choose(
            rule.target, needs: needs, agents: agents, teamNames: teamNames)
        return (choice, head + (parts + [outcome]).joined(separator: "; "))
    }

    /// The eligible agent a target gives the lead to, and what happened, for the explanation.
    private static func choose(
        _ target: AssignmentTarget, needs: AgentNeeds, agents: [AssignmentAgent],
        teamNames: [String: String]
    ) -> (choice: (ownerID: String, teamID: String?)?, outcome: String) {
        let fallThrough = "trying the next rule"
        switch target {
        case .agent(let agentID):
            guard let agent = agents.first(where: { $0.id == agentID }) else {
                return (nil, "agent \(agentID) not found; \(fallThrough)")
            }
            if let reason = needs.reasonToSkip(agent) {
                return (nil, "agent \(agent.name): skipped (\(reason)); \(fallThrough)")
            }
            return ((agent.id, nil), "assigned to \(agent.name)")
        case .team(let teamID):
            var outcome = "team \(teamNames[teamID] ?? teamID): "
            let members = agents.filter { $0.teamIDs.contains(teamID) }
            var eligible: [AssignmentAgent] = []
            var skipped: [String] = []
            for member in members {
                if let reason = needs.reasonToSkip(member) {
                    skipped.append("\(member.name) (\(reason))")
                } else {
                    eligible.append(member)
                }
            }
            if !skipped.isEmpty { outcome += "skipped \(skipped.joined(separator: ", ")); " }
            guard let agent = RoundRobin.pick(candidates: eligible, inTeam: teamID) else {
                let reason = members.isEmpty ? "no members" : "no eligible agent"
                return (nil, outcome + "\(reason); \(fallThrough)")
            }
            outcome +=
                "picked \(agent.name) (\(agent.assignedCount(inTeam: teamID)) assigned, "
                + "weight \(RoundRobin.weight(agent)))"
            return ((agent.id, teamID), outcome)
        }
    }
}

/// What a firing rule asks of the agent beyond being active, present and below capacity.
private struct AgentNeeds {
    /// The lead's state, when the rule requires a license there.
    var licenseState: String?
    /// The lead's primary language, when the rule has a language condition.
    var language: String?

    /// Why the agent cannot take the lead, or nil when they can.
    func reasonToSkip(_ agent: AssignmentAgent) -> String? {
        if !agent.isActive { return "inactive" }
        if agent.isAway { return "away" }
        if let capacity = agent.capacity, agent.openLeads >= capacity {
            return "at capacity \(agent.openLeads)/\(capacity)"
        }
        if let licenseState,
            !agent.licensedStates.contains(where: { normalizedState($0) == licenseState })
        {
            return "not licensed in \(licenseState)"
        }
        if let language, !agent.languages.contains(where: { primaryLanguage($0) == language }) {
            return "does not speak \(language)"
        }
        return nil
    }
}

/// One condition of a rule held against a lead, as the explanation states it.
private struct ConditionCheck {
    var matches: Bool
    var text: String
}

extension AssignmentConditions {
    /// The outcome of each constrained condition, in the order of the rule form.
    fileprivate func checks(_ lead: AssignmentLead) -> [ConditionCheck] {
        var checks: [ConditionCheck] = []
        func check(
            _ label: String, _ value: String?, _ wanted: [String], failing: String,
            normalize: (String?) -> String?, matches: (String, String) -> Bool = (==)
        ) {
            guard !wanted.isEmpty else { return }
            let wanted = wanted.compactMap(normalize)
            guard let value = normalize(value) else {
                checks.append(ConditionCheck(matches: false, text: "\(label) unknown"))
                return
            }
            if let found = wanted.first(where: { matches(value, $0) }) {
                let text =
                    found == value
                    ? "\(label) \(value) matches" : "\(label) \(value) matches \(found)"
                checks.append(ConditionCheck(matches: true, text: text))
            } else {
                let text = "\(label) \(value) \(failing) \(anyOf(wanted))"
                checks.append(ConditionCheck(matches: false, text: text))
            }
        }
        check("state", lead.state, states, failing: "is not", normalize: normalizedState)
        check(
            "ZIP", lead.zip, zipPrefixes, failing: "does not start with", normalize: normalizedText,
            matches: { $0.hasPrefix($1) })
        check("area code", lead.areaCode, areaCodes, failing: "is not", normalize: normalizedText)
        check("language", lead.language, languages, failing: "is not", normalize: primaryLanguage)
        let band = [
            minDebtCents.map { "at least \(dollars($0))" },
            maxDebtCents.map { "under \(dollars($0))" },
        ].compactMap { $0 }.joined(separator: " and ")
        if !band.isEmpty, let debt = lead.totalDebtCents {
            let within = debt >= (minDebtCents ?? .min) && debt < (maxDebtCents ?? .max)
            let text = "debt \(dollars(debt)) is \(within ? "" : "not ")\(band)"
            checks.append(ConditionCheck(matches: within, text: text))
        } else if !band.isEmpty {
            checks.append(ConditionCheck(matches: false, text: "debt unknown"))
        }
        check(
            "source", lead.source, sources, failing: "is not",
            normalize: { normalizedText($0)?.lowercased() })
        if requireLicense, let state = normalizedState(lead.state) {
            checks.append(ConditionCheck(matches: true, text: "agent must be licensed in \(state)"))
        } else if requireLicense {
            let text = "a license is required but the state is unknown"
            checks.append(ConditionCheck(matches: false, text: text))
        }
        return checks
    }
}

/// Trimmed of white space, nil when blank. (Runs for every condition of every rule on
/// every lead of an import, so it avoids Foundation's `trimmingCharacters`.)
private func normalizedText(_ text: String?) -> String? {
    guard let text, let first = text.firstIndex(where: { !$0.isWhitespace }),
        let last = text.lastIndex(where: { !$0.isWhitespace })
    else { return nil }
    if first == text.startIndex, text.index(after: last) == text.endIndex { return text }
    return String(text[first...last])
}

private func normalizedState(_ text: String?) -> String? { normalizedText(text)?.uppercased() }

/// "es" for "es-MX", "ES" or "es_mx".
private func primaryLanguage(_ text: String?) -> String? {
    normalizedText(text)?.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first
        .map(String.init)
}

/// "TX", "TX or OK", "TX, OK or NM".
private func anyOf(_ values: [String]) -> String {
    guard values.count > 1 else { return values.first ?? "" }
    return values.dropLast().joined(separator: ", ") + " or " + values[values.count - 1]
}

/// "$12,500" or "$12,500.05".
private func dollars(_ cents: Int64) -> String {
    let whole = String(cents.magnitude / 100)
    var grouped = ""
    for (offset, digit) in whole.enumerated() {
        if offset > 0, (whole.count - offset) % 3 == 0 { grouped.append(",") }
        grouped.append(digit)
    }
    let rest = cents.magnitude % 100
    let fraction = rest == 0 ? "" : rest < 10 ? ".0\(rest)" : ".\(rest)"
    return (cents < 0 ? "-$" : "$") + grouped + fraction
}
