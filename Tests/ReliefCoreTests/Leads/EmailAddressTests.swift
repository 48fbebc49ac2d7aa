import ReliefCore
import Testing

@Suite("E-mail addresses")
struct EmailAddressTests {
    static let longLocalPart = String(repeating: "a", count: 65) + "@example.com"
    static let longDomain = "ann@" + String(repeating: "a.", count: 127) + "com"
    static let longLabel = "ann@" + String(repeating: "a", count: 64) + ".com"

    @Test(
        "trims and lower-cases valid addresses",
        arguments: [
            ("  Ann.Lee@Example.COM ", "ann.lee@example.com"),
            ("o'neil+crm@mail.example.co.uk", "o'neil+crm@mail.example.co.uk"),
            ("a@b.io", "a@b.io"),
            ("x_y-z@sub-domain.example.org", "x_y-z@sub-domain.example.org"),
            ("user@xn--bcher-kva.example", "user@xn--bcher-kva.example"),
        ])
    func valid(raw: String, normalized: String) throws {
        #expect(try EmailAddress.normalize(raw) == normalized)
    }

    @Test(
        "refuses invalid addresses with a reason",
        arguments: [
            ("", EmailAddressError.empty),
            ("ann lee@example.com", .containsSpaces),
            ("ann.example.com", .missingAt),
            ("ann@lee@example.com", .multipleAt),
            ("@example.com", .missingLocalPart),
            (longLocalPart, .localPartTooLong),
            (".ann@example.com", .invalidLocalPart),
            ("ann.@example.com", .invalidLocalPart),
            ("an..n@example.com", .invalidLocalPart),
            ("ann(x)@example.com", .invalidLocalPart),
            ("josé@example.com", .invalidLocalPart),
            ("ann@", .missingDomain),
            (longDomain, .domainTooLong),
            ("ann@localhost", .missingDomainDot),
            ("ann@example..com", .invalidDomain),
            ("ann@-example.com", .invalidDomain),
            ("ann@example-.com", .invalidDomain),
            ("ann@example.com.", .invalidDomain),
            ("ann@exa_mple.com", .invalidDomain),
            ("ann@1.2.3.4", .invalidDomain),
            ("ann@[1.2.3.4]", .invalidDomain),
            (longLabel, .invalidDomain),
        ] as [(String, EmailAddressError)])
    func invalid(raw: String, error: EmailAddressError) {
        #expect(throws: error) { try EmailAddress.normalize(raw) }
    }

    @Test func messagesExplainTheFix() {
        #expect(
            EmailAddressError.missingAt.message
                == "An email address needs an @, like name@example.com.")
        #expect(
            EmailAddressError.containsSpaces.description
                == "An email address cannot contain spaces.")
    }

    @Test func aLocalPartOf64CharactersIsAccepted() throws {
        let local = String(repeating: "a", count: 64)

        #expect(try EmailAddress.normalize(local + "@example.com") == local + "@example.com")
    }
}
