import Foundation

/// What is known about the consumer when a contact is decided. The app loads it (lead, consents,
/// opt-outs, flags, DNC lists, recent contacts); the gate only reads it.
public struct ConsumerContactFacts: Sendable {
    /// The phone as stored or given (any format); nil when none.
    public var phone: String?
    /// ``phone`` already parsed by the caller (a batch parses each number once); when nil the
    /// gate parses ``phone`` itself.
    public var parsedPhone: PhoneNumber?
    public var email: String?
    /// The address ZIP and state; either may be empty.
    public var zip: String?
    public var state: String?
    /// An enrolled client (enrolled or settled) whose agreement covers servicing contact.
    public var isEnrolledClient: Bool
    /// Every consent record of the consumer, grants and withdrawals, in any order.
    public var consents: [ConsentFact]
    /// Channels the consumer opted out of (a STOP reply, an unsubscribe, a spoken request).
    public var optedOutChannels: Set<ContactChannel>
    public var flags: ConsumerFlags
    /// The last purchase, payment or delivery, and the last inquiry or application, for the
    /// established business relationship exemption from the DNC lists.
    public var lastTransactionAt: Date?
    public var lastInquiryAt: Date?
    /// Where the phone number is listed.
    public var dnc: DNCListing
    /// Contacts made to the consumer (allowed sends) in the 24 hours before the instant.
    public var recentContacts: [PastContact]

    public init(
        phone: String? = nil, email: String? = nil, zip: String? = nil, state: String? = nil,
        isEnrolledClient: Bool = false, consents: [ConsentFact] = [],
        optedOutChannels: Set<ContactChannel> = [], flags: ConsumerFlags = ConsumerFlags(),
        lastTransactionAt: Date? = nil, lastInquiryAt: Date? = nil,
        dnc: DNCListing = DNCListing(), recentContacts: [PastContact] = []
    ) {
        self.phone = phone
        self.email = email
        self.zip = zip
        self.state = state
        self.isEnrolledClient = isEnrolledClient
        self.consents = consents
        self.optedOutChannels = optedOutChannels
        self.flags = flags
        self.lastTransactionAt = lastTransactionAt
        self.lastInquiryAt = lastInquiryAt
        self.dnc = dnc
        self.recentContacts = recentContacts
    }
}

/// One consent record as the gate needs it.
public struct ConsentFact: Sendable, Equatable {
    public var kind: ConsentKind
    /// False for a withdrawal.
    public var granted: Bool
    /// The phone (E.164) or e-mail covered; empty for all of the consumer's.
    public var contact: String
    public var capturedAt: Date

    public init(kind: ConsentKind, granted: Bool, contact: String, capturedAt: Date) {
        self.kind = kind
        self.granted = granted
        self.contact = contact
        self.capturedAt = capturedAt
    }
}

/// Flags on the consumer that stop some or all contact.
public struct ConsumerFlags: Sendable, Equatable {
    /// A bankruptcy flag that is not cleared (awaiting review or confirmed).
    public var bankruptcy: Bool
    public var attorneyRepresented: Bool
    public var ceaseCommunication: Bool
    public var deceased: Bool

    public init(
        bankruptcy: Bool = false, attorneyRepresented: Bool = false,
        ceaseCommunication: Bool = false, deceased: Bool = false
    ) {
        self.bankruptcy = bankruptcy
        self.attorneyRepresented = attorneyRepresented
        self.ceaseCommunication = ceaseCommunication
        self.deceased = deceased
    }
}

/// Where the consumer's phone number is listed, and how fresh the national registry copy is.
public struct DNCListing: Sendable, Equatable {
    public var national: Bool
    /// The states whose lists hold the number.
    public var states: [String]
    public var internalList: Bool
    /// The day the organization's national registry copy was downloaded; nil when none is loaded.
    public var nationalRegistryDownloadedOn: CalendarDate?

    public init(
        national: Bool = false, states: [String] = [], internalList: Bool = false,
        nationalRegistryDownloadedOn: CalendarDate? = nil
    ) {
        self.national = national
        self.states = states
        self.internalList = internalList
        self.nationalRegistryDownloadedOn = nationalRegistryDownloadedOn
    }
}

/// A contact already made to the consumer, for frequency limits.
public struct PastContact: Sendable, Equatable {
    public var channel: ContactChannel
    public var purpose: ContactPurpose
    public var at: Date

    public init(channel: ContactChannel, purpose: ContactPurpose, at: Date) {
        self.channel = channel
        self.purpose = purpose
        self.at = at
    }
}

/// The contact asked about.
public struct ContactGateRequest: Sendable, Equatable {
    public var channel: ContactChannel
    public var purpose: ContactPurpose
    public var method: DialingMethod
    /// The number the call or text comes from (any format), for the caller's recording rules.
    public var callerID: String?
    public var at: Date

    public init(
        channel: ContactChannel, purpose: ContactPurpose, method: DialingMethod,
        callerID: String? = nil, at: Date
    ) {
        self.channel = channel
        self.purpose = purpose
        self.method = method
        self.callerID = callerID
        self.at = at
    }
}

/// An organization's own caps on top of state law: at most this many contacts per consumer and
/// channel in any 24 hours (nil: no cap). Transactional contacts are not capped.
public struct OrgFrequencyCaps: Sendable, Equatable, Codable {
    public var callsPer24h: Int?
    public var textsPer24h: Int?
    public var emailsPer24h: Int?
    public var voicemailsPer24h: Int?

    public init(
        callsPer24h: Int? = 3, textsPer24h: Int? = 1, emailsPer24h: Int? = 2,
        voicemailsPer24h: Int? = 1
    ) {
        self.callsPer24h = callsPer24h
        self.textsPer24h = textsPer24h
        self.emailsPer24h = emailsPer24h
        self.voicemailsPer24h = voicemailsPer24h
    }

    func cap(for channel: ContactChannel) -> Int? {
        switch channel {
        case .call: callsPer24h
        case .sms: textsPer24h
        case .email: emailsPer24h
        case .voicemail: voicemailsPer24h
        }
    }
}

/// The one gate every call, text, e-mail and voicemail to a consumer passes (see
/// `docs/compliance.md` for every rule with its source). Pure: the same facts, request and rules
/// give the same decision.
public struct ContactGate: Sendable {
    public let rules: StateContactRuleBook
    public let zips: ZIPDirectory
    public let areaCodes: AreaCodeDirectory

    /// The national registry copy used for a marketing call may be at most this many days old
    /// (16 CFR 310.4(b)(3)(iv); 47 CFR 64.1200(c)(2)).
    public static let registryMaximumAgeDays = 31
    /// Established business relationship: 18 months after a transaction, 3 after an inquiry.
    public static let transactionRelationshipMonths = 18
    public static let inquiryRelationshipMonths = 3

    public init(rules: StateContactRuleBook, zips: ZIPDirectory, areaCodes: AreaCodeDirectory) {
        self.rules = rules
        self.zips = zips
        self.areaCodes = areaCodes
    }

    /// Decides one contact.
    public func decide(
        _ request: ContactGateRequest, for consumer: ConsumerContactFacts,
        caps: OrgFrequencyCaps = OrgFrequencyCaps()
    ) -> GateDecision {
        var check = Check(request: request, version: rules.version)
        let channel = request.channel

        // The address state, when given, must be a real one.
        let addressState = consumer.state.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        if !addressState.isEmpty, !USState.isValid(addressState) {
            check.add(.unknownState, "The state '\(addressState)' is not a US state or territory.")
            return check.decision()
        }

        // The address and the channel's target.
        var phone: PhoneNumber?
        var states: [String] = addressState.isEmpty ? [] : [addressState.uppercased()]
        var zoneIDs: [String] = []
        let zipState = consumer.zip.flatMap { zips.entry($0)?.state }
        if let zipState { states.append(zipState) }
        if channel.usesPhone {
            guard let raw = consumer.phone, !raw.isEmpty else {
                check.add(.invalidNumber, "There is no phone number to \(channel.verb).")
                return check.decision()
            }
            do {
                phone = try consumer.parsedPhone ?? PhoneNumber.parse(raw)
            } catch {
                check.add(.invalidNumber, "The phone number '\(raw)' is not valid: \(error).")
                return check.decision()
            }
            guard let areaCode = phone.flatMap({ areaCodes.entry($0.areaCode) }) else {
                check.add(
                    .invalidNumber,
                    "The area code \(phone?.areaCode ?? "") is not an assigned NANP area code.")
                return check.decision()
            }
            if let state = areaCode.state, areaCode.country == "US" { states.append(state) }
            let zones = LeadTimeZones.resolve(
                zip: consumer.zip, areaCode: areaCode.areaCode, zips: zips, areaCodes: areaCodes)
            zoneIDs = Self.zonesToCheck(zones)
            guard !zoneIDs.isEmpty else {
                check.add(
                    .timeZoneUnknown,
                    "Neither the ZIP nor the area code \(areaCode.areaCode) gives a time zone; "
                        + "add the consumer's ZIP before contacting them by phone.")
                return check.decision()
            }
        } else {
            let address = consumer.email ?? ""
            guard (try? EmailAddress.normalize(address)) != nil else {
                check.add(.invalidEmail, "There is no valid e-mail address to write to.")
                return check.decision()
            }
            if let zipZone = consumer.zip.flatMap({ zips.timeZone(forZIP: $0) }) {
                zoneIDs = [zipZone]
            }
        }
        let stateRules = rules.rules(for: states)
        check.timeZones = zoneIDs
        let purpose = Self.effectivePurpose(request.purpose, consumer: consumer)
        let isMarketing = purpose == .marketing
        let exempt = request.purpose == .transactional

        // Flags on the person.
        if consumer.flags.deceased {
            check.add(.deceased, "The consumer is marked deceased.")
        }
        if consumer.flags.ceaseCommunication, !exempt {
            check.add(
                .ceaseCommunication,
                "The consumer asked us to cease communication; only transactional notices may go.")
        }
        if consumer.flags.attorneyRepresented, !exempt {
            check.add(
                .attorneyRepresented,
                "The consumer is represented by an attorney; contact the attorney instead.")
        }
        if consumer.flags.bankruptcy, isMarketing {
            check.add(
                .bankruptcy,
                "A bankruptcy flag is open on the consumer: no marketing until compliance clears it."
            )
        }

        // Opt-outs and the internal list.
        if consumer.optedOutChannels.contains(channel), !exempt {
            check.add(.optedOut, "The consumer opted out of \(channel.plural).")
        }
        if channel.usesPhone, consumer.dnc.internalList, !exempt {
            check.add(
                .internalDNC, "The number is on the organization's internal do-not-call list.")
        }

        // Consent and the DNC lists, for marketing by phone.
        if channel.usesPhone, isMarketing, let phone {
            let e164 = phone.e164
            let consentKinds: [ConsentKind] =
                channel == .sms ? [.tcpaCallsTexts, .smsMarketing] : [.tcpaCallsTexts]
            let consent = Self.consentState(consumer.consents, kinds: consentKinds, contact: e164)
            let needsWrittenConsent =
                channel == .sms || channel == .voicemail || request.method == .automated
            if needsWrittenConsent, consent != .granted {
                if consent == .revoked {
                    check.add(
                        .consentRevoked,
                        "The consumer withdrew consent to marketing \(channel.plural) at this number."
                    )
                } else {
                    check.add(
                        .noConsent,
                        "Marketing \(channel.plural)\(request.method == .automated && channel == .call ? " by automated means" : "") need the consumer's express written consent for this number; none is recorded."
                    )
                }
            }
            let relationship = Self.hasBusinessRelationship(consumer, at: request.at)
            let isExemptFromDNC = consent == .granted || relationship
            if consumer.dnc.national, !isExemptFromDNC {
                check.add(
                    .nationalDNC,
                    "The number is on the National Do Not Call Registry and there is neither "
                        + "consent nor an established business relationship.")
            }
            let listedStates = consumer.dnc.states.sorted()
            if !listedStates.isEmpty, !isExemptFromDNC {
                check.add(
                    .stateDNC,
                    "The number is on the do-not-call list of \(listedStates.joined(separator: ", "))."
                )
            }
            if !isExemptFromDNC, channel != .sms || request.method == .automated,
                !Self.registryIsFresh(consumer.dnc.nationalRegistryDownloadedOn, at: request.at)
            {
                let downloaded =
                    consumer.dnc.nationalRegistryDownloadedOn.map { "\($0)" } ?? "never"
                check.add(
                    .dncRegistryStale,
                    "The national registry copy (downloaded \(downloaded)) is older than "
                        + "\(Self.registryMaximumAgeDays) days; refresh it before marketing calls.")
            }
        }

        // Hours: every call and voicemail, and marketing texts.
        let zones = zoneIDs.compactMap(TimeZoneCache.zone)
        let window = CallingWindow(zones: zones, rules: stateRules)
        let hoursApply =
            channel == .call || channel == .voicemail || (channel == .sms && isMarketing)
        if hoursApply, !exempt, let refusal = window.refusal(at: request.at) {
            check.reasons.append(refusal)
        }
        if let zone = zones.first { check.localTime = Self.localTime(request.at, in: zone) }

        // Frequency: state limits on marketing calls (and texts where counted), org caps.
        var releases: [Date] = []
        let dayAgo = request.at.addingTimeInterval(-86_400)
        let recent = consumer.recentContacts.filter { $0.at > dayAgo && $0.at <= request.at }
        if isMarketing, channel.usesPhone {
            for rule in stateRules {
                guard let limit = rule.frequencyLimit24h else { continue }
                if channel == .sms, !rule.frequencyCountsTexts { continue }
                let counted = recent.filter { contact in
                    let countsChannel =
                        contact.channel == .call || contact.channel == .voicemail
                        || (contact.channel == .sms && rule.frequencyCountsTexts)
                    let sameSubject = rule.frequencyScope == .any || contact.purpose == .marketing
                    return countsChannel && sameSubject
                }
                if let release = Self.release(counted, limit: limit) {
                    releases.append(release)
                    check.add(
                        .stateFrequencyLimit,
                        "\(rule.state) allows at most \(limit) \(rule.frequencyCountsTexts ? "calls or texts" : "calls") "
                            + "on the same subject in 24 hours; \(counted.count) were made.")
                }
            }
        }
        if !exempt, let cap = caps.cap(for: channel) {
            let counted = recent.filter { $0.channel == channel && $0.purpose != .transactional }
            if let release = Self.release(counted, limit: cap) {
                releases.append(release)
                check.add(
                    .orgFrequencyCap,
                    "The organization allows at most \(cap) \(channel.plural) per consumer in 24 hours."
                )
            }
        }

        // The earliest instant every passing reason has passed.
        if check.reasons.allSatisfy(\.code.passesWithTime), !check.reasons.isEmpty {
            let start = releases.max() ?? request.at
            check.nextAllowedAt = hoursApply ? window.nextAllowed(atOrAfter: start) : start
        }

        check.obligations = obligations(
            request, purpose: purpose, states: states, stateRules: stateRules)
        return check.decision()
    }

    /// The zones a phone contact must be allowed in: the ZIP's, plus every zone of the area
    /// code when the two disagree; every zone of the area code when the ZIP is unknown.
    static func zonesToCheck(_ zones: LeadTimeZones) -> [String] {
        var result: [String] = []
        if let zip = zones.zipTimeZone { result.append(zip) }
        if zones.zipTimeZone == nil || zones.differ {
            for zone in zones.phoneTimeZones where !result.contains(zone) { result.append(zone) }
        }
        return result
    }

    /// Servicing is only servicing for an enrolled client; for anyone else it is marketing.
    static func effectivePurpose(
        _ purpose: ContactPurpose, consumer: ConsumerContactFacts
    ) -> ContactPurpose {
        purpose == .servicing && !consumer.isEnrolledClient ? .marketing : purpose
    }

    enum ConsentState { case granted, revoked, none }

    /// The latest record of the kinds that covers the contact decides; on a tie, a withdrawal.
    static func consentState(
        _ consents: [ConsentFact], kinds: [ConsentKind], contact: String
    ) -> ConsentState {
        let latest =
            consents
            .filter { kinds.contains($0.kind) && ($0.contact.isEmpty || $0.contact == contact) }
            .max { earlier, later in
                // A withdrawal recorded at the same instant as a grant wins.
                earlier.capturedAt != later.capturedAt
                    ? earlier.capturedAt < later.capturedAt : earlier.granted && !later.granted
            }
        guard let latest else { return .none }
        return latest.granted ? .granted : .revoked
    }

    static func hasBusinessRelationship(_ consumer: ConsumerContactFacts, at instant: Date) -> Bool
    {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        func within(_ date: Date?, months: Int) -> Bool {
            guard let date, date <= instant,
                let end = calendar.date(byAdding: .month, value: months, to: date)
            else { return false }
            return instant < end
        }
        return within(consumer.lastTransactionAt, months: transactionRelationshipMonths)
            || within(consumer.lastInquiryAt, months: inquiryRelationshipMonths)
    }

    static func registryIsFresh(_ downloaded: CalendarDate?, at instant: Date) -> Bool {
        guard let downloaded else { return false }
        let today = CalendarDate(instant, in: TimeZone(identifier: "UTC")!)
        return today.daysSinceEpoch - downloaded.daysSinceEpoch <= registryMaximumAgeDays
    }

    /// When enough of `contacts` have aged out of the 24-hour window to allow one more, or nil
    /// when the limit is not reached.
    static func release(_ contacts: [PastContact], limit: Int) -> Date? {
        guard contacts.count >= limit else { return nil }
        let times = contacts.map(\.at).sorted()
        return times[contacts.count - limit].addingTimeInterval(86_400)
    }

    /// "2026-03-08T08:00:00-04:00".
    static func localTime(_ instant: Date, in zone: TimeZone) -> String {
        let day = LocalDay(instant, in: zone)
        let offset = zone.secondsFromGMT(for: instant)
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) % 60
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 3_600
        let minutes = abs(offset) % 3_600 / 60
        return
            "\(day.date)T\(day.clock):\(twoDigits((seconds + 60) % 60))\(sign)\(twoDigits(hours)):\(twoDigits(minutes))"
    }

    private func obligations(
        _ request: ContactGateRequest, purpose: ContactPurpose, states: [String],
        stateRules: [StateContactRule]
    ) -> [GateObligation] {
        var result: [GateObligation] = []
        switch request.channel {
        case .call, .voicemail:
            var recordingStates = stateRules.filter { $0.recordingConsent == .allParty }.map(
                \.state)
            if let callerID = request.callerID.flatMap({ try? PhoneNumber.parse($0) }),
                let callerState = areaCodes.entry(callerID.areaCode)?.state,
                rules.rule(for: callerState)?.recordingConsent == .allParty,
                !recordingStates.contains(callerState)
            {
                recordingStates.append(callerState)
            }
            if request.channel == .call, !recordingStates.isEmpty {
                result.append(
                    GateObligation(
                        .recordingDisclosureRequired,
                        "Announce that the call is recorded before recording: "
                            + "\(recordingStates.joined(separator: ", ")) require every party's consent."
                    ))
            }
            if purpose == .marketing {
                let limits = stateRules.compactMap { rule in
                    rule.identifyWithinSeconds.map { (rule.state, $0) }
                }
                if let strictest = limits.min(by: { $0.1 < $1.1 }) {
                    result.append(
                        GateObligation(
                            .identifyWithinSeconds,
                            "Identify the seller and the purpose within \(strictest.1) seconds "
                                + "(\(strictest.0)).", seconds: strictest.1))
                }
                if request.method == .automated, request.channel == .call {
                    result.append(
                        GateObligation(
                            .abandonedCallMessage,
                            "When no agent is free, play the recorded identification message "
                                + "within 2 seconds of the greeting (16 CFR 310.4(b)(4)).",
                            seconds: 2))
                }
            }
        case .sms:
            if purpose == .marketing {
                result.append(
                    GateObligation(
                        .includeOptOutInstructions, "Include \"Reply STOP to opt out\"."))
            }
        case .email:
            if purpose == .marketing {
                result.append(
                    GateObligation(
                        .includeUnsubscribe,
                        "Include a working unsubscribe link and RFC 8058 one-click headers."))
                result.append(
                    GateObligation(
                        .includePostalAddress,
                        "Include the organization's valid physical postal address (CAN-SPAM)."))
            }
        }
        return result
    }
}

/// The decision being built.
private struct Check {
    let request: ContactGateRequest
    let version: String
    var reasons: [GateReason] = []
    var nextAllowedAt: Date?
    var obligations: [GateObligation] = []
    var timeZones: [String] = []
    var localTime: String?

    init(request: ContactGateRequest, version: String) {
        self.request = request
        self.version = version
    }

    mutating func add(_ code: GateReasonCode, _ message: String) {
        reasons.append(GateReason(code, message))
    }

    func decision() -> GateDecision {
        let verdict: GateVerdict
        if reasons.isEmpty {
            verdict = .allow
        } else if reasons.allSatisfy(\.code.passesWithTime), nextAllowedAt != nil {
            verdict = .defer
        } else {
            verdict = .deny
        }
        return GateDecision(
            verdict: verdict, reasons: reasons,
            nextAllowedAt: verdict == .defer ? nextAllowedAt : nil,
            obligations: obligations, timeZone: timeZones.first, timeZonesChecked: timeZones,
            localTime: localTime, rulesVersion: version)
    }
}

extension ContactChannel {
    /// "calls", "texts", "e-mails", "voicemails".
    var plural: String {
        switch self {
        case .call: "calls"
        case .sms: "texts"
        case .email: "e-mails"
        case .voicemail: "voicemails"
        }
    }

    var verb: String {
        switch self {
        case .call: "call"
        case .sms: "text"
        case .email: "e-mail"
        case .voicemail: "leave a voicemail on"
        }
    }
}

/// IANA zones by id, built once per process (creating a `TimeZone` reads the zone database).
enum TimeZoneCache {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var zones: [String: TimeZone] = [:]

    static func zone(_ identifier: String) -> TimeZone? {
        lock.lock()
        defer { lock.unlock() }
        if let zone = zones[identifier] { return zone }
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        zones[identifier] = zone
        return zone
    }
}
