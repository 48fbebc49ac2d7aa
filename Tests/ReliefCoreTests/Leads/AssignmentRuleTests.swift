import Foundation
import ReliefCore
import Testing

@Suite("Assignment rules: validation and JSON")
struct AssignmentRuleTests {
    static let valid = AssignmentRule(
        id: "r1", name: "Texas Spanish",
        conditions: AssignmentConditions(
            states: ["TX", "ok"], zipPrefixes: ["7", "750", "75201"], areaCodes: ["214"],
            languages: ["es", "es-MX", "es-419"], minDebtCents: 0, maxDebtCents: 2_500_000,
            sources: ["facebook"], requireLicense: true),
        target: .team("spanish"))

    @Test("a complete rule has no problems")
    func validRule() {
        #expect(Self.valid.problems().isEmpty)
        #expect(AssignmentRule(id: "r", name: "Catch-all", target: .agent("a")).problems().isEmpty)
    }

    /// The valid rule with one change.
    static func with(_ change: (inout AssignmentRule) -> Void) -> AssignmentRule {
        var rule = valid
        change(&rule)
        return rule
    }

    @Test(
        "each bad field is reported with its path",
        arguments: [
            (with { $0.name = "  " }, "name", "Enter a name for the rule."),
            (
                with { $0.name = String(repeating: "x", count: 101) }, "name",
                "Keep the name to 100 characters or fewer."
            ),
            (
                with { $0.conditions.states = ["TX", "ZZ", "Texas"] }, "conditions.states",
                "Unknown state code(s): ZZ, Texas."
            ),
            (
                with { $0.conditions.zipPrefixes = ["", "123456", "7a"] },
                "conditions.zip_prefixes",
                "A ZIP prefix must be 1-5 digits: (blank), 123456, 7a."
            ),
            (
                with { $0.conditions.areaCodes = ["123", "21", "2145"] }, "conditions.area_codes",
                "An area code is 3 digits starting with 2-9: 123, 21, 2145."
            ),
            (
                with { $0.conditions.languages = ["spanish"] }, "conditions.languages",
                "Use language codes such as en, es or es-MX."
            ),
            (
                with { $0.conditions.languages = ["es-"] }, "conditions.languages",
                "Use language codes such as en, es or es-MX."
            ),
            (
                with { $0.conditions.minDebtCents = -1 }, "conditions.min_debt_cents",
                "The minimum debt cannot be negative."
            ),
            (
                with { $0.conditions.maxDebtCents = 0 }, "conditions.max_debt_cents",
                "The maximum debt must be above zero."
            ),
            (
                with { $0.conditions.minDebtCents = 2_500_000 }, "conditions.max_debt_cents",
                "The minimum debt must be less than the maximum debt."
            ),
            (
                with { $0.conditions.sources = ["facebook", " "] }, "conditions.sources",
                "Remove the blank source."
            ),
            (with { $0.target = .agent("") }, "target", "Choose a team or an agent."),
        ])
    func problems(rule: AssignmentRule, field: String, message: String) {
        #expect(rule.problems() == [AssignmentRuleProblem(field: field, message: message)])
    }

    @Test("encodes snake_case keys and the target as type and id")
    func encoding() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let rule = AssignmentRule(
            id: "r1", name: "TX", conditions: AssignmentConditions(states: ["TX"], minDebtCents: 5),
            target: .team("t1"))
        let json = String(decoding: try encoder.encode(rule), as: UTF8.self)
        #expect(
            json
                == #"{"conditions":{"area_codes":[],"languages":[],"min_debt_cents":5,"#
                + #""require_license":false,"sources":[],"states":["TX"],"zip_prefixes":[]},"#
                + #""id":"r1","is_active":true,"name":"TX","target":{"id":"t1","type":"team"}}"#)
        #expect(try JSONDecoder().decode(AssignmentRule.self, from: Data(json.utf8)) == rule)
        let agent = try encoder.encode(AssignmentTarget.agent("u7"))
        #expect(String(decoding: agent, as: UTF8.self) == #"{"id":"u7","type":"agent"}"#)
    }

    @Test("conditions missing from stored JSON are no constraint")
    func lenientConditions() throws {
        let json =
            #"{"id":"r","name":"N","is_active":false,"conditions":{"states":["FL"]},"#
            + #""target":{"type":"agent","id":"u1"}}"#
        let rule = try JSONDecoder().decode(AssignmentRule.self, from: Data(json.utf8))
        #expect(rule.conditions == AssignmentConditions(states: ["FL"]))
        #expect(rule.target == .agent("u1"))
        #expect(!rule.isActive)
    }

    @Test("an unknown target type is refused")
    func unknownTarget() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(
                AssignmentTarget.self, from: Data(#"{"type":"queue","id":"q"}"#.utf8))
        }
    }

    @Test("a sample lead for the rules page decodes from snake_case JSON")
    func sampleLead() throws {
        let json = #"{"state":"TX","area_code":"214","total_debt_cents":1500000,"language":"es"}"#
        let lead = try JSONDecoder().decode(AssignmentLead.self, from: Data(json.utf8))
        #expect(
            lead
                == AssignmentLead(
                    state: "TX", areaCode: "214", language: "es", totalDebtCents: 1_500_000))
        let decision = AssignmentDecision(
            ownerID: "u", teamID: "t", ruleID: "r", ruleName: "R", explanation: ["x"])
        let encoded = try JSONEncoder().encode(decision)
        #expect(try JSONDecoder().decode(AssignmentDecision.self, from: encoded) == decision)
    }
}
