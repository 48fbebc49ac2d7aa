import Foundation

/// One of an organization's lead assignment rules. Rules are tried in the manager's order; the
/// first active rule whose conditions all hold and whose target has an eligible agent assigns the
/// lead (see ``AssignmentEngine``).
public struct AssignmentRule: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    public var name: String
    /// Inactive rules are kept in the order but never fire.
    public var isActive: Bool
    public var conditions: AssignmentConditions
    public var target: AssignmentTarget

    public init(
        id: String, name: String, isActive: Bool = true,
        conditions: AssignmentConditions = AssignmentConditions(), target: AssignmentTarget
    ) {
        self.id = id
        self.name = name
        self.isActive = isActive
        self.conditions = conditions
        self.target = target
    }

    enum CodingKeys: String, CodingKey {
        case id, name, conditions, target
        case isActive = "is_active"
    }

    /// What the manager must fix before the rule can be saved, in the order of the form; empty
    /// when the rule is valid.
    public func problems() -> [AssignmentRuleProblem] {
        var problems: [AssignmentRuleProblem] = []
        func check(_ condition: Bool, _ field: String, _ message: String) {
            if !condition { problems.append(AssignmentRuleProblem(field: field, message: message)) }
        }
        let trimmedName = name.trimmingCharacters(in: .whitespaces)
        check(!trimmedName.isEmpty, "name", "Enter a name for the rule.")
        check(trimmedName.count <= 100, "name", "Keep the name to 100 characters or fewer.")

        let unknownStates = conditions.states.filter { !USState.isValid(trimmed($0)) }
        check(
            unknownStates.isEmpty, "conditions.states",
            "Unknown state code(s): \(listing(unknownStates)).")
        let badPrefixes = conditions.zipPrefixes.filter {
            trimmed($0).count > 5 || !isDigits(trimmed($0))
        }
        check(
            badPrefixes.isEmpty, "conditions.zip_prefixes",
            "A ZIP prefix must be 1-5 digits: \(listing(badPrefixes)).")
        let badAreaCodes = conditions.areaCodes.filter { code in
            let code = trimmed(code)
            return code.count != 3 || !isDigits(code) || code.hasPrefix("0") || code.hasPrefix("1")
        }
        check(
            badAreaCodes.isEmpty, "conditions.area_codes",
            "An area code is 3 digits starting with 2-9: \(listing(badAreaCodes)).")
        check(
            conditions.languages.allSatisfy(isLanguageCode), "conditions.languages",
            "Use language codes such as en, es or es-MX.")

        let minimum = conditions.minDebtCents
        let maximum = conditions.maxDebtCents
        check(
            (minimum ?? 0) >= 0, "conditions.min_debt_cents", "The minimum debt cannot be negative."
        )
        check(
            (maximum ?? 1) > 0, "conditions.max_debt_cents", "The maximum debt must be above zero.")
        if let minimum, let maximum, maximum > 0 {
            check(
                minimum < maximum, "conditions.max_debt_cents",
                "The minimum debt must be less than the maximum debt.")
        }
        check(
            conditions.sources.allSatisfy { !trimmed($0).isEmpty }, "conditions.sources",
            "Remove the blank source.")
        check(!trimmed(target.id).isEmpty, "target", "Choose a team or an agent.")
        return problems
    }
}

/// A reason an ``AssignmentRule`` cannot be saved: the field (its JSON path, such as
/// `conditions.zip_prefixes`) and a sentence for the manager.
public struct AssignmentRuleProblem: Sendable, Equatable, Codable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// What a lead must look like for a rule to fire. An empty list or a nil bound is no constraint;
/// a rule matches when every constrained fact matches, and a fact the lead lacks (no state, no
/// debt total...) does not match a condition on it. Lists match any of their values. Text is
/// compared without case or surrounding spaces, and languages by their primary subtag ("es"
/// matches "es-MX").
public struct AssignmentConditions: Sendable, Equatable, Codable {
    /// USPS state codes.
    public var states: [String]
    /// Leading digits of the lead's ZIP ("750", "7").
    public var zipPrefixes: [String]
    /// Area codes of the lead's phone.
    public var areaCodes: [String]
    /// The lead's preferred language. A rule with languages also needs an agent who speaks the
    /// lead's language (``AssignmentAgent/languages``).
    public var languages: [String]
    /// The lead's total enrolled debt must be at least this.
    public var minDebtCents: Int64?
    /// The lead's total enrolled debt must be less than this, so adjacent bands share a bound.
    public var maxDebtCents: Int64?
    /// Lead sources ("facebook", "partner-api").
    public var sources: [String]
    /// The agent must be licensed in the lead's state; a lead without a state cannot match.
    public var requireLicense: Bool

    public init(
        states: [String] = [], zipPrefixes: [String] = [], areaCodes: [String] = [],
        languages: [String] = [], minDebtCents: Int64? = nil, maxDebtCents: Int64? = nil,
        sources: [String] = [], requireLicense: Bool = false
    ) {
        self.states = states
        self.zipPrefixes = zipPrefixes
        self.areaCodes = areaCodes
        self.languages = languages
        self.minDebtCents = minDebtCents
        self.maxDebtCents = maxDebtCents
        self.sources = sources
        self.requireLicense = requireLicense
    }

    enum CodingKeys: String, CodingKey {
        case states, languages, sources
        case zipPrefixes = "zip_prefixes"
        case areaCodes = "area_codes"
        case minDebtCents = "min_debt_cents"
        case maxDebtCents = "max_debt_cents"
        case requireLicense = "require_license"
    }

    /// Missing keys are no constraint, so stored rules stay readable when conditions are added.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            states: try container.decodeIfPresent([String].self, forKey: .states) ?? [],
            zipPrefixes: try container.decodeIfPresent([String].self, forKey: .zipPrefixes) ?? [],
            areaCodes: try container.decodeIfPresent([String].self, forKey: .areaCodes) ?? [],
            languages: try container.decodeIfPresent([String].self, forKey: .languages) ?? [],
            minDebtCents: try container.decodeIfPresent(Int64.self, forKey: .minDebtCents),
            maxDebtCents: try container.decodeIfPresent(Int64.self, forKey: .maxDebtCents),
            sources: try container.decodeIfPresent([String].self, forKey: .sources) ?? [],
            requireLicense: try container.decodeIfPresent(Bool.self, forKey: .requireLicense)
                ?? false)
    }
}

/// Where a rule sends a lead; JSON `{"type": "team", "id": "..."}` or `{"type": "agent", ...}`.
public enum AssignmentTarget: Sendable, Equatable, Codable {
    /// One agent, by user id.
    case agent(String)
    /// A team, by id: its eligible members take turns (``RoundRobin``).
    case team(String)

    /// The agent's or team's id.
    public var id: String {
        switch self {
        case .agent(let id), .team(let id): return id
        }
    }

    enum CodingKeys: String, CodingKey {
        case type, id
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try container.decode(String.self, forKey: .id)
        switch try container.decode(String.self, forKey: .type) {
        case "agent": self = .agent(id)
        case "team": self = .team(id)
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container,
                debugDescription: "Unknown assignment target type '\(other)'; use agent or team.")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .agent: try container.encode("agent", forKey: .type)
        case .team: try container.encode("team", forKey: .type)
        }
        try container.encode(id, forKey: .id)
    }
}

private func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespaces) }

/// The values as a comma-separated list, a blank one shown as "(blank)".
private func listing(_ values: [String]) -> String {
    values.map { trimmed($0).isEmpty ? "(blank)" : $0 }.joined(separator: ", ")
}

private func isDigits(_ text: String) -> Bool {
    !text.isEmpty && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
}

/// A language tag of 2-3 letters with an optional region ("en", "es-MX", "es-419").
private func isLanguageCode(_ text: String) -> Bool {
    let parts = trimmed(text).split(separator: "-", omittingEmptySubsequences: false)
    guard let primary = parts.first, parts.count <= 2, (2...3).contains(primary.count),
        primary.allSatisfy({ $0.isASCII && $0.isLetter })
    else { return false }
    return parts.dropFirst().allSatisfy { region in
        (2...3).contains(region.count)
            && region.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}
