/// A lead source of the demo organization: where leads come from and what each one costs.
public struct DemoSource: Sendable, Equatable {
    /// The name shown in the CRM ("Facebook Ads — Spring relief").
    public var name: String
    public var vendor: String
    public var campaign: String
    public var costPerLeadCents: Int64
    /// Whether its leads arrive through a web form, with a TCPA consent captured there.
    public var isDigital: Bool
    /// The campaign parameters of its links (no content or term); nil for sources without
    /// tracked links (the website's own form, offline sources).
    public var utm: DemoUTM?

    public init(
        name: String, vendor: String, campaign: String, costPerLeadCents: Int64, isDigital: Bool,
        utm: DemoUTM?
    ) {
        self.name = name
        self.vendor = vendor
        self.campaign = campaign
        self.costPerLeadCents = costPerLeadCents
        self.isDigital = isDigital
        self.utm = utm
    }

    /// The demo organization's eight sources.
    public static let all: [DemoSource] = [
        DemoSource(
            name: "Facebook Ads — Spring relief", vendor: "Meta", campaign: "Spring relief",
            costPerLeadCents: 1_800, isDigital: true,
            utm: DemoUTM(source: "facebook", medium: "paid_social", campaign: "spring_relief")),
        DemoSource(
            name: "Google Search — debt relief", vendor: "Google Ads",
            campaign: "Debt relief search",
            costPerLeadCents: 4_200, isDigital: true,
            utm: DemoUTM(source: "google", medium: "cpc", campaign: "debt_relief_search")),
        DemoSource(
            name: "LendingTree referral", vendor: "LendingTree", campaign: "Debt relief referrals",
            costPerLeadCents: 3_500, isDigital: true,
            utm: DemoUTM(source: "lendingtree", medium: "referral", campaign: "debt_relief")),
        DemoSource(
            name: "Radio — WXYZ morning", vendor: "WXYZ-FM", campaign: "Morning drive spots",
            costPerLeadCents: 2_500, isDigital: false, utm: nil),
        DemoSource(
            name: "Direct mail — March drop", vendor: "Keystone Direct Mail",
            campaign: "March drop",
            costPerLeadCents: 900, isDigital: false, utm: nil),
        DemoSource(
            name: "Website form", vendor: "Summit Relief", campaign: "Website", costPerLeadCents: 0,
            isDigital: true, utm: nil),
        DemoSource(
            name: "Partner: Credit union referral", vendor: "Heritage Federal Credit Union",
            campaign: "Member referrals", costPerLeadCents: 0, isDigital: false, utm: nil),
        DemoSource(
            name: "Inbound call", vendor: "Summit Relief", campaign: "Main line",
            costPerLeadCents: 0, isDigital: false, utm: nil),
    ]

    /// How often each of ``all`` brings a lead, in percent.
    static let shares = [24, 20, 14, 8, 12, 10, 4, 8]
}

/// The UTM parameters of a tracked link.
public struct DemoUTM: Sendable, Equatable {
    public var source: String
    public var medium: String
    public var campaign: String
    /// The ad or creative (`utm_content`), when the link names one.
    public var content: String?
    /// The search keyword (`utm_term`), for search ads.
    public var term: String?

    public init(
        source: String, medium: String, campaign: String, content: String? = nil,
        term: String? = nil
    ) {
        self.source = source
        self.medium = medium
        self.campaign = campaign
        self.content = content
        self.term = term
    }

    /// The link's query string: "utm_source=google&utm_medium=cpc&...", values percent-encoded.
    public var queryString: String {
        let pairs = [
            ("utm_source", source), ("utm_medium", medium), ("utm_campaign", campaign),
            ("utm_content", content), ("utm_term", term),
        ]
        return pairs.compactMap { name, value in
            value.map { name + "=" + Self.encoded($0) }
        }.joined(separator: "&")
    }

    private static func encoded(_ value: String) -> String {
        var text = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                UInt8(ascii: "."):
                text.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                text += "+"
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                text += (byte < 16 ? "%0" : "%") + hex
            }
        }
        return text
    }
}
