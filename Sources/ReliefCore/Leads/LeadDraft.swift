/// A phone number of a lead with its use.
public struct LeadPhone: Sendable, Hashable {
    public var number: PhoneNumber
    public var type: PhoneType
    public var isPrimary: Bool

    public init(number: PhoneNumber, type: PhoneType, isPrimary: Bool) {
        self.number = number
        self.type = type
        self.isPrimary = isPrimary
    }
}

/// Something wrong with one field of a lead, as shown next to that field or import row.
public struct FieldProblem: Sendable, Equatable, Codable {
    /// The field for problems with a whole import row, such as its number of fields.
    public static let row = "row"

    /// The field's snake_case name (a ``LeadImportField`` raw value), or ``row``.
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    init(_ field: LeadImportField, _ message: String) {
        self.init(field: field.rawValue, message: message)
    }
}

/// The input for a new lead, from an import row (``LeadRowParser``) or the API, already
/// normalized: names cleaned, e-mails lower-cased, phones parsed, money in cents. The rules
/// a lead must meet as a whole are in ``problems(today:)``, shared by both paths.
public struct LeadDraft: Sendable, Equatable {
    public var firstName: String?
    public var middleName: String?
    public var lastName: String?
    /// Normalized addresses (see ``EmailAddress/normalize(_:)``), primary first.
    public var emails: [String] = []
    /// Primary first.
    public var phones: [LeadPhone] = []
    public var address: String?
    public var address2: String?
    public var city: String?
    /// The USPS code ("TX"); see ``USState``.
    public var state: String?
    /// Five digits.
    public var zip: String?
    public var dateOfBirth: CalendarDate?
    public var ssn: SocialSecurityNumber?
    public var totalUnsecuredDebtCents: Int64?
    public var monthlyIncomeCents: Int64?
    public var employment: String?
    public var hardship: String?
    public var source: String?
    public var campaign: String?
    public var notes: String?
    /// An ISO 639-1 code ("en", "es"); see ``LanguageCode``.
    public var language: String?
    public var tags: [String] = []
    public var externalID: String?
    public var utmSource: String?
    public var utmMedium: String?
    public var utmCampaign: String?

    public init() {}

    /// Every rule the lead breaks, empty when it can be saved: a first and a last name, a
    /// phone or an e-mail, one primary phone listed first and no number twice, normalized and
    /// distinct e-mails, a known state, a 5-digit ZIP code, an adult's date of birth on
    /// `today`, no negative money amounts and a supported language code.
    public func problems(today: CalendarDate) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if isBlank(firstName) { problems.append(FieldProblem(.firstName, "Enter a first name.")) }
        if isBlank(lastName) { problems.append(FieldProblem(.lastName, "Enter a last name.")) }
        if phones.isEmpty && emails.isEmpty {
            problems.append(FieldProblem(.phone, "Enter a phone number or an email address."))
        }
        for (index, email) in emails.enumerated() {
            let field: LeadImportField = index == 0 ? .email : .email2
            if (try? EmailAddress.normalize(email)) != email {
                problems.append(FieldProblem(field, "The email address is not valid."))
            } else if emails[..<index].contains(email) {
                problems.append(FieldProblem(field, "The same email address is listed twice."))
            }
        }
        if !phones.isEmpty, !phones[0].isPrimary || phones.dropFirst().contains(where: \.isPrimary)
        {
            problems.append(FieldProblem(.phone, "Exactly one phone, listed first, is primary."))
        }
        if Set(phones.map(\.number.nationalDigits)).count < phones.count {
            problems.append(FieldProblem(.phone, "The same phone number is listed twice."))
        }
        if let state, USState.code(matching: state) != state {
            problems.append(FieldProblem(.state, Self.unknownState))
        }
        if let zip, (try? ZIPCode.parse(zip)) != zip {
            problems.append(FieldProblem(.zip, ZIPCodeError.invalid.message))
        }
        if let dateOfBirth {
            do {
                try CalendarDate.checkDateOfBirth(dateOfBirth, today: today)
            } catch {
                problems.append(FieldProblem(.dateOfBirth, error.message))
            }
        }
        if let cents = totalUnsecuredDebtCents, cents < 0 {
            problems.append(FieldProblem(.totalUnsecuredDebt, MoneyError.negative.message))
        }
        if let cents = monthlyIncomeCents, cents < 0 {
            problems.append(FieldProblem(.monthlyIncome, MoneyError.negative.message))
        }
        if let language, LanguageCode.code(for: language) != language {
            problems.append(FieldProblem(.language, Self.unknownLanguage))
        }
        return problems
    }

    static let unknownState = "Enter a US state or territory, or its two-letter code like TX."
    static let unknownLanguage = "Enter a language such as English or Spanish, or a code like es."

    private func isBlank(_ text: String?) -> Bool {
        text?.trimmed.isEmpty ?? true
    }
}
