/// What a consent record is about.
public enum ConsentKind: String, Sendable, Codable, CaseIterable {
    /// TCPA prior express written consent to marketing calls and texts by automated means.
    case tcpaCallsTexts = "tcpa_calls_texts"
    /// Consent to marketing text messages only.
    case smsMarketing = "sms_marketing"
    /// Consent to marketing e-mail (CAN-SPAM needs none, but we record opt-ins and opt-outs).
    case emailMarketing = "email_marketing"
    /// Consent to call recording.
    case callRecording = "call_recording"

    public var label: String {
        switch self {
        case .tcpaCallsTexts: "Calls and texts (TCPA express written consent)"
        case .smsMarketing: "Marketing text messages"
        case .emailMarketing: "Marketing e-mail"
        case .callRecording: "Call recording"
        }
    }
}

/// Where a consent record was captured.
public enum ConsentSource: String, Sendable, Codable, CaseIterable {
    /// A web form; the detail is the form URL.
    case webForm = "web_form"
    /// A lead file import; the detail is the file name.
    case importFile = "import"
    /// Recorded by an agent (e.g. verbal consent on a recorded call); the detail is the agent.
    case agent
    /// Sent through the API by a lead vendor or another system.
    case api
    /// An inbound message (e.g. a STOP reply).
    case inboundMessage = "inbound_message"

    public var label: String {
        switch self {
        case .webForm: "Web form"
        case .importFile: "Import"
        case .agent: "Agent"
        case .api: "API"
        case .inboundMessage: "Inbound message"
        }
    }
}

/// A marketing touch: the UTM parameters and page that brought the lead in, kept as the
/// first touch (never changed) and the last touch (each later visit or import).
public struct MarketingTouch: Sendable, Codable, Equatable {
    public var source: String?
    public var medium: String?
    public var campaign: String?
    public var term: String?
    public var content: String?
    public var landingPage: String?
    public var at: String?

    public init(
        source: String? = nil, medium: String? = nil, campaign: String? = nil,
        term: String? = nil, content: String? = nil, landingPage: String? = nil, at: String? = nil
    ) {
        self.source = source
        self.medium = medium
        self.campaign = campaign
        self.term = term
        self.content = content
        self.landingPage = landingPage
        self.at = at
    }

    /// Whether no parameter is set.
    public var isEmpty: Bool {
        [source, medium, campaign, term, content, landingPage].allSatisfy {
            ($0 ?? "").isEmpty
        }
    }

    enum CodingKeys: String, CodingKey {
        case source = "utm_source"
        case medium = "utm_medium"
        case campaign = "utm_campaign"
        case term = "utm_term"
        case content = "utm_content"
        case landingPage = "landing_page"
        case at
    }
}
