import Foundation

/// The gate's answer.
public enum GateVerdict: String, Sendable, Codable, CaseIterable {
    /// The contact may happen now.
    case allow
    /// The contact may not happen (until the facts change).
    case deny
    /// The contact may happen later, at ``GateDecision/nextAllowedAt``.
    case `defer`
}

/// A stable reason code of a gate decision. The raw value is what the API, the stored decisions
/// and the dashboard use; never rename one.
public enum GateReasonCode: String, Sendable, Codable, CaseIterable {
    case outsideCallingHours = "outside_calling_hours"
    case sundayOrHoliday = "sunday_or_holiday"
    case stateFrequencyLimit = "state_frequency_limit"
    case orgFrequencyCap = "org_frequency_cap"
    case nationalDNC = "national_dnc"
    case stateDNC = "state_dnc"
    case internalDNC = "internal_dnc"
    case optedOut = "opted_out"
    case noConsent = "no_consent"
    case consentRevoked = "consent_revoked"
    case bankruptcy
    case attorneyRepresented = "attorney_represented"
    case ceaseCommunication = "cease_communication"
    case deceased
    case invalidNumber = "invalid_number"
    case invalidEmail = "invalid_email"
    case unknownState = "unknown_state"
    case timeZoneUnknown = "time_zone_unknown"
    case dncRegistryStale = "dnc_registry_stale"

    /// Whether the reason can pass by itself with time (the decision is then `defer`).
    public var passesWithTime: Bool {
        switch self {
        case .outsideCallingHours, .sundayOrHoliday, .stateFrequencyLimit, .orgFrequencyCap: true
        default: false
        }
    }

    /// A short label for tables and charts.
    public var label: String {
        switch self {
        case .outsideCallingHours: "Outside calling hours"
        case .sundayOrHoliday: "Sunday or holiday"
        case .stateFrequencyLimit: "State frequency limit"
        case .orgFrequencyCap: "Organization frequency cap"
        case .nationalDNC: "National DNC"
        case .stateDNC: "State DNC"
        case .internalDNC: "Internal DNC"
        case .optedOut: "Opted out"
        case .noConsent: "No consent"
        case .consentRevoked: "Consent revoked"
        case .bankruptcy: "Bankruptcy"
        case .attorneyRepresented: "Attorney represented"
        case .ceaseCommunication: "Cease communication"
        case .deceased: "Deceased"
        case .invalidNumber: "Invalid number"
        case .invalidEmail: "Invalid e-mail"
        case .unknownState: "Unknown state"
        case .timeZoneUnknown: "Time zone unknown"
        case .dncRegistryStale: "DNC registry stale"
        }
    }
}

/// One reason for a decision: its stable code and a message a person can act on.
public struct GateReason: Sendable, Codable, Equatable {
    public var code: GateReasonCode
    public var message: String

    public init(_ code: GateReasonCode, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// Something the sender must do when the contact goes ahead.
public struct GateObligation: Sendable, Codable, Equatable {
    /// Stable codes of obligations.
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// Announce the recording before it starts (an all-party consent state is involved).
        case recordingDisclosureRequired = "recording_disclosure_required"
        /// Identify the seller within ``GateObligation/seconds`` of the start of the call.
        case identifyWithinSeconds = "identify_within_seconds"
        /// Play a recorded identification message within 2 s of the greeting when no agent is
        /// free (TSR abandoned-call safe harbor, 16 CFR 310.4(b)(4)).
        case abandonedCallMessage = "abandoned_call_message"
        /// A working unsubscribe link, honoured within 10 business days (CAN-SPAM) and 48 h
        /// (Gmail/Yahoo), with RFC 8058 one-click headers.
        case includeUnsubscribe = "include_unsubscribe"
        /// The sender's valid physical postal address (CAN-SPAM).
        case includePostalAddress = "include_postal_address"
        /// "Reply STOP to opt out" in the message (CTIA).
        case includeOptOutInstructions = "include_opt_out_instructions"
    }

    public var code: Code
    public var message: String
    /// The limit for ``Code/identifyWithinSeconds``.
    public var seconds: Int?

    public init(_ code: Code, _ message: String, seconds: Int? = nil) {
        self.code = code
        self.message = message
        self.seconds = seconds
    }
}

/// What the gate decided for one contact, with every reason and obligation.
public struct GateDecision: Sendable, Codable, Equatable {
    public var verdict: GateVerdict
    /// Every rule that stands in the way, in the order they were checked; empty when allowed.
    public var reasons: [GateReason]
    /// The earliest instant the contact would be allowed, for `defer`.
    public var nextAllowedAt: Date?
    public var obligations: [GateObligation]
    /// The zone the consumer's local time is given in (the first of the zones checked).
    public var timeZone: String?
    /// Every zone the hours were checked in.
    public var timeZonesChecked: [String]
    /// The consumer's local time at the instant, in ``timeZone`` (ISO 8601 with offset).
    public var localTime: String?
    /// The version of the state rules data the decision was made with.
    public var rulesVersion: String

    public init(
        verdict: GateVerdict, reasons: [GateReason], nextAllowedAt: Date?,
        obligations: [GateObligation], timeZone: String?, timeZonesChecked: [String],
        localTime: String?, rulesVersion: String
    ) {
        self.verdict = verdict
        self.reasons = reasons
        self.nextAllowedAt = nextAllowedAt
        self.obligations = obligations
        self.timeZone = timeZone
        self.timeZonesChecked = timeZonesChecked
        self.localTime = localTime
        self.rulesVersion = rulesVersion
    }

    /// The reason codes, for storage and tests.
    public var reasonCodes: [GateReasonCode] { reasons.map(\.code) }
}
