import ReliefCore
import Testing

@Suite("Identifier normalization for blind indexes")
struct IdentifierNormalizationTests {
    @Test("SSN and last four")
    func ssn() {
        #expect(IdentifierKind.ssn.normalize("123-45-6789") == "123456789")
        #expect(IdentifierKind.ssn.normalize(" 123 45 6789 ") == "123456789")
        #expect(IdentifierKind.ssn.normalize("12-345-678") == nil)
        #expect(IdentifierKind.ssn.normalize("123-45-678X") == nil)
        #expect(IdentifierKind.ssnLastFour.normalize("123-45-6789") == "6789")
        #expect(IdentifierKind.ssnLastFour.normalize("6789") == "6789")
        #expect(IdentifierKind.ssnLastFour.normalize("56789") == nil)
    }

    @Test("phone numbers as E.164 digits")
    func phone() {
        #expect(IdentifierKind.phone.normalize("(555) 555-0123") == "15555550123")
        #expect(IdentifierKind.phone.normalize("+1 555 555 0123") == "15555550123")
        #expect(IdentifierKind.phone.normalize("1-555-555-0123") == "15555550123")
        #expect(IdentifierKind.phone.normalize("+44 20 7946 0958") == "442079460958")
        #expect(IdentifierKind.phone.normalize("555-0123") == nil)
        #expect(IdentifierKind.phone.normalize("call me") == nil)
    }

    @Test("e-mail addresses are trimmed and lower-cased")
    func email() {
        #expect(IdentifierKind.email.normalize("  Ann.Lee@Example.COM ") == "ann.lee@example.com")
        #expect(IdentifierKind.email.normalize("ann@localhost") == nil)
        #expect(IdentifierKind.email.normalize("a b@example.com") == nil)
        #expect(IdentifierKind.email.normalize("@example.com") == nil)
    }
}
