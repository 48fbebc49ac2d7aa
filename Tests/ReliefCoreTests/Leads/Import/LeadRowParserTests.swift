import ReliefCore
import Testing

@Suite("Lead row parser")
struct LeadRowParserTests {
    static let today = CalendarDate(year: 2025, month: 6, day: 15)!

    static let headers = [
        "First Name", "Last Name", "Email", "Phone", "Cell", "Home Phone", "Address", "City",
        "State", "Zip", "DOB", "SSN", "Total Debt", "Monthly Income", "Language", "Tags", "Notes",
        "Comments", "Lead ID", "utm_source",
    ]

    static func parse(_ values: [String: String], headers: [String] = headers) -> LeadRowOutcome {
        let mapping = ImportMapping.automatic(headers: headers).resolve(headers: headers)
        let parser = LeadRowParser(mapping: mapping, today: today)
        return parser.parse(headers.map { values[$0] ?? "" })
    }

    static func problems(_ outcome: LeadRowOutcome) -> [FieldProblem] {
        if case .problems(let problems) = outcome { return problems }
        return []
    }

    static func draft(_ outcome: LeadRowOutcome) -> LeadDraft? {
        if case .lead(let draft) = outcome { return draft }
        return nil
    }

    @Test func normalizesAGoodRow() throws {
        let outcome = Self.parse([
            "First Name": "ALICIA", "Last Name": "de la cruz", "Email": " Alicia@Example.COM ",
            "Phone": "(202) 555-0143", "Cell": "202.555.0143", "Home Phone": "1-312-555-0199",
            "Address": "12 Main St", "City": "Austin", "State": "Texas", "Zip": "7301",
            "DOB": "4/23/80", "SSN": "123-45-6789", "Total Debt": "$32,500.00",
            "Monthly Income": "4,200", "Language": "Español", "Tags": "hot, Spanish;hot",
            "Notes": "Called twice", "Comments": "Prefers text", "Lead ID": "V-991",
            "utm_source": "google",
        ])
        let draft = try #require(Self.draft(outcome))

        #expect(draft.firstName == "Alicia")
        #expect(draft.lastName == "De la Cruz")
        #expect(draft.emails == ["alicia@example.com"])
        #expect(
            draft.phones == [
                LeadPhone(
                    number: try PhoneNumber.parse("2025550143"), type: .mobile, isPrimary: true),
                LeadPhone(
                    number: try PhoneNumber.parse("3125550199"), type: .home, isPrimary: false),
            ])
        #expect(draft.address == "12 Main St")
        #expect(draft.city == "Austin")
        #expect(draft.state == "TX")
        #expect(draft.zip == "07301")
        #expect(draft.dateOfBirth == CalendarDate(year: 1980, month: 4, day: 23))
        #expect(draft.ssn?.last4 == "6789")
        #expect(draft.totalUnsecuredDebtCents == 3_250_000)
        #expect(draft.monthlyIncomeCents == 420_000)
        #expect(draft.language == "es")
        #expect(draft.tags == ["hot", "Spanish"])
        #expect(draft.notes == "Called twice\nPrefers text")
        #expect(draft.externalID == "V-991")
        #expect(draft.utmSource == "google")
        #expect(draft.problems(today: Self.today).isEmpty)
    }

    @Test func reportsEveryBadFieldAtOnce() {
        let outcome = Self.parse([
            "First Name": "Ann", "Last Name": "Lee", "Email": "ann@", "Phone": "555-0143",
            "State": "Texass", "Zip": "123456", "DOB": "2/30/1980", "SSN": "666-12-3456",
            "Total Debt": "-500", "Monthly Income": "12.345", "Language": "Klingon",
        ])

        #expect(
            Self.problems(outcome) == [
                FieldProblem(field: "email", message: EmailAddressError.missingDomain.message),
                FieldProblem(field: "phone", message: PhoneNumberError.wrongLength(7).message),
                FieldProblem(
                    field: "state",
                    message: "Enter a US state or territory, or its two-letter code like TX."),
                FieldProblem(field: "zip", message: ZIPCodeError.invalid.message),
                FieldProblem(field: "date_of_birth", message: CalendarDateError.invalidDay.message),
                FieldProblem(field: "ssn", message: SocialSecurityNumberError.invalidArea.message),
                FieldProblem(field: "total_unsecured_debt", message: MoneyError.negative.message),
                FieldProblem(field: "monthly_income", message: MoneyError.tooManyDecimals.message),
                FieldProblem(
                    field: "language",
                    message: "Enter a language such as English or Spanish, or a code like es."),
            ])
    }

    @Test func needsANameAndAPhoneOrEmail() {
        #expect(
            Self.problems(Self.parse(["City": "Austin"])) == [
                FieldProblem(field: "first_name", message: "Enter a first name."),
                FieldProblem(field: "last_name", message: "Enter a last name."),
                FieldProblem(field: "phone", message: "Enter a phone number or an email address."),
            ])
        #expect(
            Self.draft(Self.parse(["First Name": "A", "Last Name": "B", "Email": "a@b.co"])) != nil)
        #expect(
            Self.draft(
                Self.parse(["First Name": "A", "Last Name": "B", "Home Phone": "2025550143"]))?
                .phones.map(\.type) == [.home])
    }

    @Test func anInvalidContactIsReportedOnceNotAlsoAsMissing() {
        let outcome = Self.parse(["First Name": "A", "Last Name": "B", "Cell": "call me"])

        #expect(
            Self.problems(outcome) == [
                FieldProblem(field: "mobile_phone", message: PhoneNumberError.letters.message)
            ])
    }

    @Test func countsFieldsAgainstTheHeader() {
        let headers = ["Name", "Email"]
        let mapping = ImportMapping.automatic(headers: headers).resolve(headers: headers)
        let parser = LeadRowParser(mapping: mapping, today: Self.today)

        #expect(
            Self.problems(parser.parse(["Ann Lee", "ann@example.com", "extra"])) == [
                FieldProblem(
                    field: "row", message: "The row has 3 fields but the header has 2 columns.")
            ])
        #expect(
            Self.problems(parser.parse(["Ann Lee"])) == [
                FieldProblem(
                    field: "row", message: "The row has 1 fields but the header has 2 columns."),
                FieldProblem(field: "phone", message: "Enter a phone number or an email address."),
            ])
    }

    @Test func splitsAFullNameColumn() throws {
        let headers = ["Name", "Phone"]
        let mapping = ImportMapping.automatic(headers: headers).resolve(headers: headers)
        let parser = LeadRowParser(mapping: mapping, today: Self.today)

        let draft = try #require(Self.draft(parser.parse(["GOMEZ, ALICIA M", "2025550143"])))
        #expect([draft.firstName, draft.middleName, draft.lastName] == ["Alicia", "M", "Gomez"])
        let junior = try #require(Self.draft(parser.parse(["John Smith Jr", "2025550143"])))
        #expect(junior.lastName == "Smith Jr.")
        #expect(
            Self.problems(parser.parse(["Alicia", "2025550143"])) == [
                FieldProblem(field: "full_name", message: "Enter a first and a last name.")
            ])
    }

    @Test func firstAndLastColumnsWinOverTheFullName() throws {
        let headers = ["Full Name", "First Name", "Last Name", "Email"]
        let mapping = ImportMapping.automatic(headers: headers).resolve(headers: headers)
        let parser = LeadRowParser(mapping: mapping, today: Self.today)

        let both = try #require(Self.draft(parser.parse(["Al Bo", "Ann", "Lee", "a@b.co"])))
        #expect([both.firstName, both.lastName] == ["Ann", "Lee"])
        let lastOnly = try #require(Self.draft(parser.parse(["Al Bo", "", "Lee", "a@b.co"])))
        #expect([lastOnly.firstName, lastOnly.lastName] == ["Al", "Lee"])
    }

    @Test func dropsRepeatedPhonesAndEmailsKeepingTheTypedKind() throws {
        let headers = ["First", "Last", "Email", "Email 2", "Phone", "Work Phone", "Cell"]
        let mapping = ImportMapping.automatic(headers: headers).resolve(headers: headers)
        let parser = LeadRowParser(mapping: mapping, today: Self.today)

        let draft = try #require(
            Self.draft(
                parser.parse([
                    "Ann", "Lee", "ann@example.com", "ANN@example.com", "202-555-0143",
                    "(202) 555-0143 x7", "202-555-0100",
                ])))

        #expect(draft.emails == ["ann@example.com"])
        #expect(draft.phones.map(\.number.nationalDigits) == ["2025550143", "2025550100"])
        #expect(draft.phones.map(\.type) == [.work, .mobile])
        #expect(draft.phones.map(\.isPrimary) == [true, false])
    }

    @Test func blankRowsAreSkipped() {
        #expect(Self.parse([:]) == .blank)
        #expect(Self.parse(["City": "  ", "Notes": "\n"]) == .blank)
    }
}
