/// The facts of a lead that assignment rules look at. Fill what is known: the state may come from
/// the address or, failing that, from ``ZIPDirectory``; the area code from the phone number.
public struct AssignmentLead: Sendable, Equatable, Codable {
    /// USPS state code.
    public var state: String?
    public var zip: String?
    /// The three-digit area code of the lead's phone.
    public var areaCode: String?
    /// Preferred language code ("en", "es").
    public var language: String?
    /// The total of the lead's enrolled debts.
    public var totalDebtCents: Int64?
    /// Where the lead came from ("facebook", "partner-api").
    public var source: String?

    public init(
        state: String? = nil, zip: String? = nil, areaCode: String? = nil,
        language: String? = nil, totalDebtCents: Int64? = nil, source: String? = nil
    ) {
        self.state = state
        self.zip = zip
        self.areaCode = areaCode
        self.language = language
        self.totalDebtCents = totalDebtCents
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case state, zip, language, source
        case areaCode = "area_code"
        case totalDebtCents = "total_debt_cents"
    }
}
