import ReliefCore
import Testing

@Suite("Password policy")
struct PasswordPolicyTests {
    let policy = PasswordPolicy.standard
    let email = "jordan.smith@example.com"

    @Test func acceptsALongUncommonPassword() {
        #expect(policy.violations(password: "correct horse battery", email: email).isEmpty)
    }

    @Test func countsCharactersNotBytes() {
        let elevenEmoji = String(repeating: "🐢", count: 11)

        #expect(policy.violations(password: elevenEmoji, email: email) == [.tooShort])
        #expect(policy.violations(password: elevenEmoji + "🦊", email: email).isEmpty)
    }

    @Test func rejectsPasswordsOutsideTheLengthLimits() {
        #expect(policy.violations(password: "violet-moth", email: email) == [.tooShort])
        let long = String(repeating: "violet-moth ", count: 22)
        #expect(long.count == 264)
        #expect(policy.violations(password: long, email: email) == [.tooLong])
        #expect(policy.violations(password: String(long.prefix(256)), email: email).isEmpty)
    }

    @Test func honoursACustomMinimum() {
        let strict = PasswordPolicy(minimumLength: 16)

        #expect(strict.violations(password: "violet-moth-lamp", email: email).isEmpty)
        #expect(strict.violations(password: "violet-moth-la", email: email) == [.tooShort])
    }

    @Test func rejectsTheEmailAddressInAnyCase() {
        #expect(
            policy.violations(password: "Jordan.Smith@Example.com", email: email) == [.matchesEmail]
        )
    }

    @Test func rejectsTheEmailLocalPartAndItsWords() {
        #expect(
            policy.violations(password: "my-jordan.smith-key", email: email) == [.containsEmailName]
        )
        #expect(
            policy.violations(password: "purple SMITH lantern", email: email) == [
                .containsEmailName
            ])
    }

    @Test func readsTheLocalPartUpToTheLastAtSign() {
        let email = "\"ops@desk\"@example.com"

        #expect(
            policy.violations(password: "the ops@desk rota", email: email) == [.containsEmailName])
        #expect(policy.violations(password: "example.com is mine", email: "@example.com").isEmpty)
    }

    @Test func ignoresLocalPartsShorterThanFourCharacters() {
        #expect(
            policy.violations(password: "bobcat lantern river", email: "bob@example.com").isEmpty)
    }

    @Test func rejectsWordsFromTheName() {
        let violations = policy.violations(
            password: "Christina rides bikes", email: "cw@example.com", name: "Christina Wu")

        #expect(violations == [.containsEmailName])
    }

    @Test(
        "rejects common passwords, also with trailing digits, symbols or leetspeak",
        arguments: [
            "Password1234!", "P@ssw0rd2024", "qwertyuiop12", "123456789012", "Trustno1!!!!",
            "iloveyou2024", "Football#2023", "SUNSHINE1234", "L3tm31n!!!!!", "welcome 2024",
            "m0nk3y1234567", "Adm1n1strat0r",
        ])
    func common(password: String) {
        #expect(policy.violations(password: password, email: "casey@example.com") == [.common])
    }

    @Test func reportsEveryBrokenRuleInOrder() {
        let violations = policy.violations(password: "jordan", email: email)

        #expect(violations == [.tooShort, .containsEmailName, .common])
    }

    @Test func everyViolationHasAStableCodeAndAMessage() {
        #expect(
            PasswordViolation.allCases.map(\.rawValue) == [
                "too_short", "matches_email", "contains_email_name", "common", "too_long",
            ])
        #expect(PasswordViolation.tooShort.message == "Use at least 12 characters.")
        #expect(PasswordViolation.allCases.allSatisfy { $0.message.hasSuffix(".") })
    }
}
