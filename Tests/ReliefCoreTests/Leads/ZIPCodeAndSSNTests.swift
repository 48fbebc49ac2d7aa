import ReliefCore
import Testing

@Suite("ZIP codes")
struct ZIPCodeTests {
    @Test(
        "reads 5-digit ZIP codes, ZIP+4 and spreadsheet-stripped zeros",
        arguments: [
            ("12345", "12345"), ("12345-6789", "12345"), ("12345 6789", "12345"),
            ("123456789", "12345"), (" 02134 ", "02134"), ("2134", "02134"), ("601", "00601"),
            ("21341234", "02134"), ("6011234", "00601"),
        ])
    func valid(raw: String, zip: String) throws {
        #expect(try ZIPCode.parse(raw) == zip)
    }

    @Test(
        "refuses other shapes",
        arguments: [
            ("", ZIPCodeError.empty), ("12", .invalid), ("123456", .invalid),
            ("1234567890", .invalid), ("12345-678", .invalid), ("1234-5678", .invalid),
            ("12345-", .invalid), ("ABCDE", .invalid), ("K1A 0B1", .invalid), ("12 345", .invalid),
            ("１２３４５", .invalid),
        ])
    func invalid(raw: String, error: ZIPCodeError) {
        #expect(throws: error) { try ZIPCode.parse(raw) }
    }
}

@Suite("Social Security numbers")
struct SocialSecurityNumberTests {
    @Test(arguments: ["123-45-6789", "123456789", " 123 45 6789 "])
    func valid(raw: String) throws {
        let ssn = try SocialSecurityNumber.parse(raw)

        #expect(ssn.digits == "123456789")
        #expect(ssn.last4 == "6789")
        #expect(ssn.masked == "***-**-6789")
    }

    @Test(
        "applies the SSA rules",
        arguments: [
            ("", SocialSecurityNumberError.empty),
            ("12-345-6789", .invalidFormat),
            ("123-45-678", .invalidFormat),
            ("1234567890", .invalidFormat),
            ("123-45-678X", .invalidFormat),
            ("123--45-6789", .invalidFormat),
            ("000-12-3456", .invalidArea),
            ("666-12-3456", .invalidArea),
            ("900-12-3456", .invalidArea),
            ("987-65-4321", .invalidArea),
            ("123-00-4567", .invalidGroup),
            ("123-45-0000", .invalidSerial),
        ])
    func invalid(raw: String, error: SocialSecurityNumberError) {
        #expect(throws: error) { try SocialSecurityNumber.parse(raw) }
    }

    @Test func neverShowsTheNumber() throws {
        let ssn = try SocialSecurityNumber.parse("234-56-7890")
        var dumped = ""
        dump(ssn, to: &dumped)

        #expect("\(ssn)" == "***-**-****")
        #expect(String(reflecting: ssn) == "SocialSecurityNumber(***-**-****)")
        #expect(!dumped.contains("7890"))
        #expect(!"\([ssn])".contains("7890"))
        let messages = [
            SocialSecurityNumberError.empty, .invalidFormat, .invalidArea, .invalidGroup,
            .invalidSerial,
        ].map(\.message)
        #expect(messages.allSatisfy { !$0.isEmpty && !$0.contains("7890") })
    }
}
