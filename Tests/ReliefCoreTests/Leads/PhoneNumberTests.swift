import Foundation
import ReliefCore
import Testing

@Suite("Phone numbers")
struct PhoneNumberTests {
    @Test(
        "reads every usual formatting",
        arguments: [
            "(202) 555-0143", "202.555.0143", "+1 202 555 0143", "1-202-555-0143", "2025550143",
            " 202/555-0143 ", "+1 (202) 555-0143", "12025550143", "202\u{00A0}555\u{00A0}0143",
        ])
    func formats(raw: String) throws {
        let phone = try PhoneNumber.parse(raw)

        #expect(phone.nationalDigits == "2025550143")
        #expect(phone.extension == nil)
        #expect(phone.e164 == "+12025550143")
        #expect(phone.areaCode == "202")
        #expect(phone.formatted == "(202) 555-0143")
        #expect(phone.description == "(202) 555-0143")
    }

    @Test(
        "keeps an extension apart",
        arguments: [
            "202-555-0143 x12", "202-555-0143x12", "(202) 555-0143 ext. 12", "202.555.0143 EXT 12",
            "2025550143 #12", "+12025550143;ext=12", "202 555 0143 extension 12",
            "202-555-0143 Ext: 12",
        ])
    func extensions(raw: String) throws {
        let phone = try PhoneNumber.parse(raw)

        #expect(phone.nationalDigits == "2025550143")
        #expect(phone.extension == "12")
        #expect(phone.formatted == "(202) 555-0143 ext. 12")
    }

    @Test(
        "refuses what is not a NANP number",
        arguments: [
            ("", PhoneNumberError.empty),
            ("   ", .empty),
            ("1-800-FLOWERS", .letters),
            ("call me", .letters),
            ("202-555-0143 home", .letters),
            ("202*555*0143", .invalidCharacters),
            ("202+555+0143", .invalidCharacters),
            ("+44 20 7946 0958", .notNANP),
            ("+1 202 555 014", .wrongLength(9)),
            ("555-0143", .wrongLength(7)),
            ("22025550143", .wrongLength(11)),
            ("202555014312", .wrongLength(12)),
            ("(102) 555-0143", .invalidAreaCode("102")),
            ("(002) 555-0143", .invalidAreaCode("002")),
            ("(911) 555-0143", .serviceCode("911")),
            ("(411) 555-0143", .serviceCode("411")),
            ("(290) 555-0143", .invalidAreaCode("290")),
            ("(370) 555-0143", .invalidAreaCode("370")),
            ("(965) 555-0143", .invalidAreaCode("965")),
            ("(202) 155-0143", .invalidExchange),
            ("(202) 055-0143", .invalidExchange),
            ("(202) 211-0143", .invalidExchange),
            ("202-555-0143 x", .invalidExtension),
            ("202-555-0143 x1234567", .invalidExtension),
        ])
    func invalid(raw: String, error: PhoneNumberError) {
        #expect(throws: error) { try PhoneNumber.parse(raw) }
    }

    @Test func acceptsTollFreeAndCanadianNumbers() throws {
        #expect(try PhoneNumber.parse("1 (800) 555-0199").areaCode == "800")
        #expect(try PhoneNumber.parse("416-555-0100").e164 == "+14165550100")
        #expect(try PhoneNumber.parse("(212) 321-0143").nationalDigits == "2123210143")
    }

    @Test func errorMessagesAreSentences() {
        #expect(PhoneNumberError.wrongLength(7).message.contains("only 7"))
        #expect(PhoneNumberError.wrongLength(12).message.hasSuffix("this one has 12."))
        #expect(PhoneNumberError.invalidAreaCode("102").message == "102 is not a valid area code.")
        #expect(PhoneNumberError.notNANP.description.contains("+1"))
    }

    @Test func codesAsE164WithAnRFC3966Extension() throws {
        let phones = [
            try PhoneNumber.parse("202-555-0143"), try PhoneNumber.parse("202-555-0143 x9"),
        ]
        let json = try JSONEncoder().encode(phones)

        #expect(String(decoding: json, as: UTF8.self) == #"["+12025550143","+12025550143;ext=9"]"#)
        #expect(try JSONDecoder().decode([PhoneNumber].self, from: json) == phones)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([PhoneNumber].self, from: Data(#"["911"]"#.utf8))
        }
    }

    @Test(
        "turns a search query into digits",
        arguments: [
            ("555-0143", "5550143"), ("(202) 555", "202555"), ("1-202-555-0143", "2025550143"),
            ("+1 202 555 0143", "2025550143"), ("12025", "12025"), ("202", "202"),
            ("20", nil), ("", nil), ("Gomez", nil), ("202-555-01a", nil), ("a@b.com", nil),
        ] as [(String, String?)])
    func searchDigits(query: String, digits: String?) {
        #expect(PhoneNumber.searchDigits(query) == digits)
    }

    @Test(
        "reads loose phone types",
        arguments: [
            ("cell", PhoneType.mobile), ("Cell Phone", .mobile), ("MOBILE", .mobile),
            ("wireless", .mobile), ("home", .home), ("Home Phone", .home), ("landline", .home),
            ("work", .work), ("Office", .work), ("business", .work), ("fax", nil), ("", nil),
        ] as [(String, PhoneType?)])
    func phoneTypes(text: String, type: PhoneType?) {
        #expect(PhoneType(loose: text) == type)
    }

    @Test func phoneTypeRawValues() {
        #expect(PhoneType.allCases.map(\.rawValue) == ["mobile", "home", "work"])
    }
}
