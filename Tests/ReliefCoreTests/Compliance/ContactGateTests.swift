import Foundation
import ReliefCore
import Testing

/// Instants are written in UTC ("2026-11-25T13:00:00Z") so each test says exactly which local
/// time it means.
private func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

private let gate = ContactGate(
    rules: StateContactRulesTests.book, zips: ReferenceDataFiles.zips,
    areaCodes: ReferenceDataFiles.areaCodes)

/// A freshly downloaded national registry, so calls are not refused as stale.
private let freshRegistry = DNCListing(
    nationalRegistryDownloadedOn: CalendarDate(year: 2026, month: 11, day: 20))

private func consumer(
    _ phone: String, zip: String?, state: String? = nil, consent: Bool = true,
    configure: (inout ConsumerContactFacts) -> Void = { _ in }
) -> ConsumerContactFacts {
    var facts = ConsumerContactFacts(
        phone: phone, email: "pat@example.com", zip: zip, state: state, dnc: freshRegistry)
    if consent {
        facts.consents = [
            ConsentFact(
                kind: .tcpaCallsTexts, granted: true, contact: "",
                capturedAt: at("2026-01-01T00:00:00Z"))
        ]
    }
    configure(&facts)
    return facts
}

private func call(
    _ when: String, _ purpose: ContactPurpose = .marketing, method: DialingMethod = .manual,
    channel: ContactChannel = .call, callerID: String? = nil
) -> ContactGateRequest {
    ContactGateRequest(
        channel: channel, purpose: purpose, method: method, callerID: callerID, at: at(when))
}

@Suite("Calling hours in the consumer's time zones")
struct CallingHoursTests {
    @Test("New York: 7:59 defers to 8:00, 8:00 is allowed, 21:00 is not")
    func newYork() {
        let pat = consumer("212-555-0100", zip: "10001")
        let early = gate.decide(call("2026-11-25T12:59:00Z"), for: pat)
        #expect(early.verdict == .defer)
        #expect(early.reasonCodes == [.outsideCallingHours])
        #expect(early.nextAllowedAt == at("2026-11-25T13:00:00Z"))
        #expect(early.localTime == "2026-11-25T07:59:00-05:00")
        #expect(early.timeZone == "America/New_York")
        #expect(gate.decide(call("2026-11-25T13:00:00Z"), for: pat).verdict == .allow)
        let late = gate.decide(call("2026-11-26T02:00:00Z"), for: pat)
        #expect(late.verdict == .defer)
        // Thanksgiving: federal hours still apply in New York.
        #expect(late.nextAllowedAt == at("2026-11-26T13:00:00Z"))
    }

    @Test("spring-forward and fall-back days move 8:00 local by an hour in UTC")
    func daylightSaving() {
        let pat = consumer("212-555-0100", zip: "10001")
        let spring = gate.decide(call("2026-03-08T11:30:00Z"), for: pat)
        #expect(spring.nextAllowedAt == at("2026-03-08T12:00:00Z"))
        #expect(spring.localTime == "2026-03-08T07:30:00-04:00")
        let fall = gate.decide(call("2026-11-01T12:30:00Z"), for: pat)
        #expect(fall.nextAllowedAt == at("2026-11-01T13:00:00Z"))
        #expect(fall.localTime == "2026-11-01T07:30:00-05:00")
        // The evening of the fall-back day ends at 21:00 EST = 02:00 UTC.
        #expect(gate.decide(call("2026-11-02T01:59:00Z"), for: pat).verdict == .allow)
        #expect(gate.decide(call("2026-11-02T02:00:00Z"), for: pat).verdict == .defer)
    }

    @Test("Arizona and Hawaii keep standard time all year")
    func noDaylightSaving() {
        let phoenix = consumer("602-555-0100", zip: "85001")
        #expect(
            gate.decide(call("2026-07-15T14:59:00Z"), for: phoenix).nextAllowedAt
                == at("2026-07-15T15:00:00Z"))
        #expect(
            gate.decide(call("2026-01-15T14:59:00Z"), for: phoenix).nextAllowedAt
                == at("2026-01-15T15:00:00Z"))
        let honolulu = consumer("808-555-0100", zip: "96813")
        #expect(
            gate.decide(call("2026-07-15T17:00:00Z"), for: honolulu).nextAllowedAt
                == at("2026-07-15T18:00:00Z"))
        #expect(gate.decide(call("2026-01-15T18:00:00Z"), for: honolulu).verdict == .allow)
    }

    @Test("Indiana follows its own zone id")
    func indiana() {
        let indy = consumer("317-555-0100", zip: "46204")
        let decision = gate.decide(call("2026-11-25T12:00:00Z"), for: indy)
        #expect(decision.timeZone == "America/Indiana/Indianapolis")
        #expect(decision.nextAllowedAt == at("2026-11-25T13:00:00Z"))
    }

    @Test("a New York phone with a Los Angeles address must be allowed in both zones")
    func twoZones() {
        let pat = consumer("212-555-0100", zip: "90001")
        let morning = gate.decide(call("2026-11-25T14:00:00Z"), for: pat)
        #expect(morning.timeZonesChecked == ["America/Los_Angeles", "America/New_York"])
        #expect(morning.verdict == .defer)
        #expect(morning.nextAllowedAt == at("2026-11-25T16:00:00Z"))
        #expect(gate.decide(call("2026-11-26T01:30:00Z"), for: pat).verdict == .allow)
        let evening = gate.decide(call("2026-11-26T02:00:00Z"), for: pat)
        #expect(evening.nextAllowedAt == at("2026-11-26T16:00:00Z"))
    }

    @Test("a split-zone area code without a ZIP is checked in each of its zones")
    func splitZoneWithoutZIP() throws {
        let zones = try #require(ReferenceDataFiles.areaCodes.entry("850")?.timeZones)
        #expect(zones.count > 1)
        let decision = gate.decide(
            call("2026-11-25T13:30:00Z"), for: consumer("850-555-0100", zip: nil))
        #expect(Set(decision.timeZonesChecked) == Set(zones))
        // 8:30 in Tallahassee is 7:30 in Pensacola.
        #expect(decision.nextAllowedAt == at("2026-11-25T14:00:00Z"))
    }

    @Test("Connecticut calls start at 9:00")
    func connecticut() {
        let decision = gate.decide(
            call("2026-11-25T13:30:00Z"), for: consumer("860-555-0100", zip: "06103"))
        #expect(decision.nextAllowedAt == at("2026-11-25T14:00:00Z"))
        #expect(decision.reasons.first?.message.contains("09:00-20:00") == true)
    }

    @Test("Rhode Island: Saturday 10-17, no Sunday, so Saturday evening waits for Monday 9:00")
    func rhodeIsland() {
        let ri = consumer("401-555-0100", zip: "02903")
        let sunday = gate.decide(call("2026-11-29T15:00:00Z"), for: ri)
        #expect(sunday.reasonCodes == [.sundayOrHoliday])
        #expect(sunday.nextAllowedAt == at("2026-11-30T14:00:00Z"))
        let saturday = gate.decide(call("2026-11-28T22:30:00Z"), for: ri)
        #expect(saturday.reasonCodes == [.outsideCallingHours])
        #expect(saturday.nextAllowedAt == at("2026-11-30T14:00:00Z"))
    }

    @Test("Louisiana: no calls on Christmas Day")
    func louisianaHoliday() {
        let decision = gate.decide(
            call("2026-12-25T15:00:00Z"), for: consumer("504-555-0100", zip: "70112"))
        #expect(decision.reasonCodes == [.sundayOrHoliday])
        #expect(decision.reasons[0].message.contains("Christmas Day"))
        #expect(decision.nextAllowedAt == at("2026-12-26T14:00:00Z"))
    }

    @Test("Texas: Sunday calls from noon")
    func texasSunday() {
        let decision = gate.decide(
            call("2026-11-29T16:00:00Z"), for: consumer("214-555-0100", zip: "75201"))
        #expect(decision.nextAllowedAt == at("2026-11-29T18:00:00Z"))
    }

    @Test("marketing texts follow calling hours, servicing texts and e-mail do not")
    func textsAndEmail() {
        let client = consumer("212-555-0100", zip: "10001") { $0.isEnrolledClient = true }
        let night = "2026-11-25T08:00:00Z"  // 3:00 in New York
        #expect(gate.decide(call(night, channel: .sms), for: client).verdict == .defer)
        #expect(gate.decide(call(night, .servicing, channel: .sms), for: client).verdict == .allow)
        #expect(gate.decide(call(night, channel: .email), for: client).verdict == .allow)
        #expect(gate.decide(call(night, .servicing, channel: .call), for: client).verdict == .defer)
    }
}

@Suite("Contact gate: consent, DNC, opt-outs and flags")
struct ContactGateRuleTests {
    let noon = "2026-11-25T17:00:00Z"  // 12:00 in New York

    @Test("bad input never allows a call")
    func badInput() {
        #expect(
            gate.decide(call(noon), for: consumer("12345", zip: "10001")).reasonCodes == [
                .invalidNumber
            ])
        #expect(
            gate.decide(call(noon), for: consumer("335-555-0100", zip: "10001")).reasonCodes == [
                .invalidNumber
            ])
        #expect(gate.decide(call(noon), for: consumer("", zip: "10001")).verdict == .deny)
        let unknownState = gate.decide(
            call(noon), for: consumer("212-555-0100", zip: "10001", state: "ZZ"))
        #expect(unknownState.verdict == .deny && unknownState.reasonCodes == [.unknownState])
        let tollFree = gate.decide(call(noon), for: consumer("800-555-0100", zip: nil))
        #expect(tollFree.verdict == .deny && tollFree.reasonCodes == [.timeZoneUnknown])
        var noEmail = consumer("212-555-0100", zip: "10001")
        noEmail.email = "not an address"
        #expect(
            gate.decide(call(noon, channel: .email), for: noEmail).reasonCodes == [.invalidEmail])
    }

    @Test("automated marketing calls and marketing texts need written consent for that number")
    func consent() {
        let none = consumer("212-555-0100", zip: "10001", consent: false)
        #expect(gate.decide(call(noon, method: .automated), for: none).reasonCodes == [.noConsent])
        #expect(gate.decide(call(noon, channel: .sms), for: none).reasonCodes == [.noConsent])
        #expect(gate.decide(call(noon, channel: .voicemail), for: none).reasonCodes == [.noConsent])
        #expect(gate.decide(call(noon), for: none).verdict == .allow)
        let otherNumber = consumer("212-555-0100", zip: "10001", consent: false) {
            $0.consents = [
                ConsentFact(
                    kind: .tcpaCallsTexts, granted: true, contact: "+12125550199",
                    capturedAt: at("2026-01-01T00:00:00Z"))
            ]
        }
        #expect(
            gate.decide(call(noon, method: .automated), for: otherNumber).reasonCodes == [
                .noConsent
            ])
        let withdrawn = consumer("212-555-0100", zip: "10001") {
            $0.consents.append(
                ConsentFact(
                    kind: .tcpaCallsTexts, granted: false, contact: "+12125550100",
                    capturedAt: at("2026-06-01T00:00:00Z")))
        }
        #expect(
            gate.decide(call(noon, method: .automated), for: withdrawn).reasonCodes == [
                .consentRevoked
            ])
        let smsOnly = consumer("212-555-0100", zip: "10001", consent: false) {
            $0.consents = [
                ConsentFact(
                    kind: .smsMarketing, granted: true, contact: "+12125550100",
                    capturedAt: at("2026-01-01T00:00:00Z"))
            ]
        }
        #expect(gate.decide(call(noon, channel: .sms), for: smsOnly).verdict == .allow)
        #expect(
            gate.decide(call(noon, method: .automated), for: smsOnly).reasonCodes == [.noConsent])
    }

    @Test("a number on the national registry needs consent or an established business relationship")
    func nationalDNC() {
        func listed(_ configure: (inout ConsumerContactFacts) -> Void) -> ConsumerContactFacts {
            consumer("212-555-0100", zip: "10001", consent: false) {
                $0.dnc.national = true
                configure(&$0)
            }
        }
        #expect(gate.decide(call(noon), for: listed { _ in }).reasonCodes == [.nationalDNC])
        #expect(
            gate.decide(call(noon), for: listed { $0.lastInquiryAt = at("2026-09-01T00:00:00Z") })
                .verdict == .allow)
        #expect(
            gate.decide(call(noon), for: listed { $0.lastInquiryAt = at("2026-08-01T00:00:00Z") })
                .reasonCodes == [.nationalDNC])
        #expect(
            gate.decide(
                call(noon), for: listed { $0.lastTransactionAt = at("2025-06-01T00:00:00Z") }
            ).verdict == .allow)
        #expect(
            gate.decide(
                call(noon), for: listed { $0.lastTransactionAt = at("2025-05-01T00:00:00Z") }
            ).reasonCodes == [.nationalDNC])
        let consented = consumer("212-555-0100", zip: "10001") { $0.dnc.national = true }
        #expect(gate.decide(call(noon), for: consented).verdict == .allow)
        let stateList = consumer("214-555-0100", zip: "75201", consent: false) {
            $0.dnc.states = ["TX"]
        }
        let decision = gate.decide(call(noon), for: stateList)
        #expect(decision.reasonCodes == [.stateDNC] && decision.reasons[0].message.contains("TX"))
    }

    @Test("a stale or missing registry copy stops non-exempt marketing calls only")
    func staleRegistry() {
        let stale = consumer("212-555-0100", zip: "10001", consent: false) {
            $0.dnc.nationalRegistryDownloadedOn = CalendarDate(year: 2026, month: 10, day: 20)
        }
        #expect(gate.decide(call(noon), for: stale).reasonCodes == [.dncRegistryStale])
        let justFresh = consumer("212-555-0100", zip: "10001", consent: false) {
            $0.dnc.nationalRegistryDownloadedOn = CalendarDate(year: 2026, month: 10, day: 25)
        }
        #expect(gate.decide(call(noon), for: justFresh).verdict == .allow)
        let never = consumer("212-555-0100", zip: "10001", consent: false) { $0.dnc = DNCListing() }
        #expect(gate.decide(call(noon), for: never).reasonCodes == [.dncRegistryStale])
        let consented = consumer("212-555-0100", zip: "10001") { $0.dnc = DNCListing() }
        #expect(gate.decide(call(noon), for: consented).verdict == .allow)
        let client = consumer("212-555-0100", zip: "10001", consent: false) {
            $0.dnc = DNCListing()
            $0.isEnrolledClient = true
        }
        #expect(gate.decide(call(noon, .servicing), for: client).verdict == .allow)
    }

    @Test("servicing is allowed for enrolled clients; for anyone else it is marketing")
    func servicing() {
        let client = consumer("212-555-0100", zip: "10001", consent: false) {
            $0.isEnrolledClient = true
        }
        #expect(gate.decide(call(noon, .servicing, channel: .sms), for: client).verdict == .allow)
        let prospect = consumer("212-555-0100", zip: "10001", consent: false)
        #expect(
            gate.decide(call(noon, .servicing, channel: .sms), for: prospect).reasonCodes == [
                .noConsent
            ])
    }

    @Test("opt-outs and the internal list stop all but transactional contact")
    func optOuts() {
        let stopped = consumer("212-555-0100", zip: "10001") {
            $0.optedOutChannels = [.sms]
            $0.isEnrolledClient = true
        }
        #expect(gate.decide(call(noon, channel: .sms), for: stopped).reasonCodes == [.optedOut])
        #expect(
            gate.decide(call(noon, .servicing, channel: .sms), for: stopped).reasonCodes == [
                .optedOut
            ])
        #expect(
            gate.decide(call(noon, .transactional, channel: .sms), for: stopped).verdict == .allow)
        #expect(gate.decide(call(noon), for: stopped).verdict == .allow)
        let internalList = consumer("212-555-0100", zip: "10001") { $0.dnc.internalList = true }
        #expect(gate.decide(call(noon), for: internalList).reasonCodes == [.internalDNC])
        #expect(gate.decide(call(noon, channel: .email), for: internalList).verdict == .allow)
    }

    @Test(
        "flags: bankruptcy stops marketing; attorney and cease stop all but transactional; deceased stops all"
    )
    func flags() {
        func flagged(_ flags: ConsumerFlags) -> ConsumerContactFacts {
            consumer("212-555-0100", zip: "10001") {
                $0.flags = flags
                $0.isEnrolledClient = true
            }
        }
        let bankrupt = flagged(ConsumerFlags(bankruptcy: true))
        #expect(gate.decide(call(noon), for: bankrupt).reasonCodes == [.bankruptcy])
        #expect(gate.decide(call(noon, .servicing), for: bankrupt).verdict == .allow)
        let attorney = flagged(ConsumerFlags(attorneyRepresented: true))
        #expect(
            gate.decide(call(noon, .servicing), for: attorney).reasonCodes == [.attorneyRepresented]
        )
        #expect(
            gate.decide(call(noon, .transactional, channel: .email), for: attorney).verdict
                == .allow)
        let cease = flagged(ConsumerFlags(ceaseCommunication: true))
        #expect(
            gate.decide(call(noon, .appointment), for: cease).reasonCodes == [.ceaseCommunication])
        let deceased = flagged(ConsumerFlags(deceased: true))
        #expect(
            gate.decide(call(noon, .transactional, channel: .email), for: deceased).reasonCodes == [
                .deceased
            ])
    }

    @Test("a deny reason wins over a defer reason, and every reason is listed")
    func denyAndDefer() {
        let pat = consumer("212-555-0100", zip: "10001", consent: false) { $0.dnc.national = true }
        let decision = gate.decide(call("2026-11-25T12:00:00Z"), for: pat)
        #expect(decision.verdict == .deny)
        #expect(decision.reasonCodes == [.nationalDNC, .outsideCallingHours])
        #expect(decision.nextAllowedAt == nil)
    }
}

@Suite("Contact gate: frequency limits")
struct ContactFrequencyTests {
    func contacts(_ items: [(ContactChannel, String)], purpose: ContactPurpose = .marketing)
        -> [PastContact]
    {
        items.map { PastContact(channel: $0.0, purpose: purpose, at: at($0.1)) }
    }

    @Test("Florida: the fourth marketing call in 24 hours waits for the first to age out")
    func florida() {
        let caps = OrgFrequencyCaps(
            callsPer24h: nil, textsPer24h: nil, emailsPer24h: nil, voicemailsPer24h: nil)
        let pat = consumer("305-555-0100", zip: "33101") {
            $0.recentContacts = self.contacts([
                (.call, "2026-11-24T18:00:00Z"), (.call, "2026-11-25T14:00:00Z"),
                (.call, "2026-11-25T15:00:00Z"),
            ])
        }
        let decision = gate.decide(call("2026-11-25T17:00:00Z"), for: pat, caps: caps)
        #expect(decision.verdict == .defer)
        #expect(decision.reasonCodes == [.stateFrequencyLimit])
        #expect(decision.nextAllowedAt == at("2026-11-25T18:00:00Z"))
        // Servicing calls are another subject.
        let client = consumer("305-555-0100", zip: "33101") {
            $0.isEnrolledClient = true
            $0.recentContacts = pat.recentContacts
        }
        #expect(
            gate.decide(call("2026-11-25T17:00:00Z", .servicing), for: client, caps: caps).verdict
                == .allow)
    }

    @Test("Maryland counts texts; New York has no state limit")
    func marylandTexts() {
        let caps = OrgFrequencyCaps(
            callsPer24h: nil, textsPer24h: nil, emailsPer24h: nil, voicemailsPer24h: nil)
        let recent = contacts([
            (.call, "2026-11-25T14:00:00Z"), (.sms, "2026-11-25T15:00:00Z"),
            (.call, "2026-11-25T16:00:00Z"),
        ])
        let maryland = consumer("410-555-0100", zip: "21201") { $0.recentContacts = recent }
        let decision = gate.decide(call("2026-11-25T17:00:00Z"), for: maryland, caps: caps)
        #expect(decision.reasonCodes == [.stateFrequencyLimit])
        #expect(decision.nextAllowedAt == at("2026-11-26T14:00:00Z"))
        let newYork = consumer("212-555-0100", zip: "10001") { $0.recentContacts = recent }
        #expect(
            gate.decide(call("2026-11-25T17:00:00Z"), for: newYork, caps: caps).verdict == .allow)
    }

    @Test("the organization's text cap defers to when the last text ages out, inside calling hours")
    func orgCap() {
        let pat = consumer("212-555-0100", zip: "10001") {
            $0.recentContacts = self.contacts([(.sms, "2026-11-25T01:30:00Z")])
        }
        let decision = gate.decide(call("2026-11-25T17:00:00Z", channel: .sms), for: pat)
        #expect(decision.reasonCodes == [.orgFrequencyCap])
        // 24 h after 20:30 the day before is 20:30 local, still within hours.
        #expect(decision.nextAllowedAt == at("2026-11-26T01:30:00Z"))
        let late = consumer("212-555-0100", zip: "10001") {
            $0.recentContacts = self.contacts([(.sms, "2026-11-25T02:30:00Z")])
        }
        // 24 h later is 21:30 local: the next allowed instant is 8:00 the day after.
        #expect(
            gate.decide(call("2026-11-25T17:00:00Z", channel: .sms), for: late).nextAllowedAt
                == at("2026-11-26T13:00:00Z"))
        #expect(
            gate.decide(call("2026-11-25T17:00:00Z", .transactional, channel: .sms), for: late)
                .verdict == .allow)
    }
}

@Suite("Contact gate: obligations")
struct ContactObligationTests {
    let noon = "2026-11-25T20:00:00Z"  // 12:00 in Los Angeles, 15:00 in New York

    @Test("recording disclosure when either party's state needs all-party consent")
    func recording() {
        let california = gate.decide(call(noon), for: consumer("415-555-0100", zip: "90001"))
        #expect(california.obligations.map(\.code).contains(.recordingDisclosureRequired))
        let newYork = gate.decide(call(noon), for: consumer("212-555-0100", zip: "10001"))
        #expect(!newYork.obligations.map(\.code).contains(.recordingDisclosureRequired))
        let fromFlorida = gate.decide(
            call(noon, callerID: "305-555-0199"), for: consumer("212-555-0100", zip: "10001"))
        #expect(fromFlorida.obligations.first?.code == .recordingDisclosureRequired)
        #expect(fromFlorida.obligations.first?.message.contains("FL") == true)
    }

    @Test(
        "identification within the strictest state's seconds; abandoned-call message for automated calls"
    )
    func identification() {
        let washington = gate.decide(
            call(noon, method: .automated), for: consumer("206-555-0100", zip: "98101"))
        let identify = washington.obligations.first { $0.code == .identifyWithinSeconds }
        #expect(identify?.seconds == 30)
        #expect(
            washington.obligations.contains { $0.code == .abandonedCallMessage && $0.seconds == 2 })
        let connecticut = gate.decide(call(noon), for: consumer("860-555-0100", zip: "06103"))
        #expect(connecticut.obligations.first { $0.code == .identifyWithinSeconds }?.seconds == 10)
    }

    @Test(
        "marketing e-mail needs an unsubscribe link and a postal address; marketing texts opt-out instructions"
    )
    func messages() {
        let pat = consumer("212-555-0100", zip: "10001")
        #expect(
            gate.decide(call(noon, channel: .email), for: pat).obligations.map(\.code) == [
                .includeUnsubscribe, .includePostalAddress,
            ])
        #expect(
            gate.decide(call(noon, channel: .sms), for: pat).obligations.map(\.code) == [
                .includeOptOutInstructions
            ])
        #expect(
            gate.decide(call(noon, .transactional, channel: .email), for: pat).obligations.isEmpty)
    }
}

@Suite("Calling window: the next allowed instant")
struct NextAllowedTests {
    /// Every rule's hours start on the hour, so the next allowed instant is the instant itself or
    /// the first whole hour after it that is allowed: a plain scan must agree.
    @Test(
        "agrees with an hour-by-hour scan over a year of random instants",
        arguments: [
            (["America/New_York", "America/Los_Angeles"], ["NY", "CA"]),
            (["Pacific/Honolulu", "America/New_York"], ["HI", "CT"]),
            (["America/New_York"], ["RI"]),
            (["America/Chicago"], ["TX", "LA"]),
            (["America/Phoenix", "America/Denver"], ["AZ", "PA"]),
        ])
    func agreesWithScan(zones: [String], states: [String]) {
        let window = CallingWindow(
            zones: zones.compactMap(TimeZone.init(identifier:)),
            rules: StateContactRulesTests.book.rules(for: states))
        var random = SeededRandom(seed: 99)
        let start = at("2026-01-01T00:00:00Z").timeIntervalSince1970
        for _ in 0..<250 {
            let instant = Date(
                timeIntervalSince1970: start + Double(random.int(in: 0...(365 * 86_400))))
            var expected: Date? = window.refusal(at: instant) == nil ? instant : nil
            if expected == nil {
                var hour = (instant.timeIntervalSince1970 / 3_600).rounded(.down) * 3_600 + 3_600
                for _ in 0..<(16 * 24) {
                    let candidate = Date(timeIntervalSince1970: hour)
                    if window.refusal(at: candidate) == nil {
                        expected = candidate
                        break
                    }
                    hour += 3_600
                }
            }
            #expect(
                window.nextAllowed(atOrAfter: instant) == expected, "\(instant) \(zones) \(states)")
        }
    }
}
