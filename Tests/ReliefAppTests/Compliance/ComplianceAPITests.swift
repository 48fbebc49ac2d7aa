import Fluent
import Foundation
import ReliefCore
import Testing
import Vapor
import VaporTesting

@testable import ReliefApp

/// The compliance API against a real database: checks by lead and by number, batches, recorded
/// decisions, the internal list, registry uploads, inbound keywords and flags.
@Suite("Compliance API")
struct ComplianceAPITests {
    /// 2026-11-25 12:00 in New York.
    static let noon = "2026-11-25T17:00:00Z"
    static let clockStart = ISO8601DateFormatter().date(from: "2026-11-25T16:00:00Z")!

    /// A New York lead with a phone, ZIP and (optionally) TCPA consent.
    static func lead(
        _ api: APIClient, phone: String = "2125550100", zip: String = "10001", consent: Bool
    ) async throws -> String {
        let email = "pat.\(phone)@example.com"
        let consents =
            consent
            ? #","consents":[{"kind":"tcpa_calls_texts","disclosure_text":"I agree."}]"# : ""
        let response = try await api.call(
            .POST, "/api/v1/leads",
            json:
                #"{"first_name":"Pat","last_name":"Lee","phone":"\#(phone)","email":"\#(email)","zip":"\#(zip)"\#(consents)}"#
        )
        #expect(response.status == .created, "\(response.body.string)")
        return try #require(try response.json()["id"] as? String)
    }

    static func check(_ api: APIClient, _ json: String) async throws -> [String: Any] {
        let response = try await api.call(.POST, "/api/v1/compliance/check", json: json)
        #expect(response.status == .ok, "\(response.body.string)")
        return try response.json()
    }

    static func codes(_ decision: [String: Any]) -> [String] {
        ((decision["reasons"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String }
    }

    static func uploadRegistry(
        _ api: APIClient, list: String = "national", downloaded: String = "2026-11-20",
        _ text: String
    ) async throws -> TestingHTTPResponse {
        try await api.upload(
            "/api/v1/compliance/dnc-registry?list=\(list)&downloaded_at=\(downloaded)",
            Array(text.utf8), contentType: .plainText)
    }

    @Test("a lead's check: consent, the national registry, hours and a stale registry")
    func leadChecks() async throws {
        try await withApp(clock: TestClock(Self.clockStart)) { app, clock in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let consenting = try await Self.lead(api, consent: true)
            let cold = try await Self.lead(api, phone: "2125550111", consent: false)
            let upload = try await Self.uploadRegistry(api, "2125550100\n212,5550111\n")
            #expect(upload.status == .ok, "\(upload.body.string)")

            let allowed = try await Self.check(
                api,
                #"{"lead_id":"\#(consenting)","channel":"call","purpose":"marketing","method":"manual","at":"\#(Self.noon)"}"#
            )
            #expect(allowed["decision"] as? String == "allow")
            #expect(allowed["time_zone"] as? String == "America/New_York")
            #expect(allowed["local_time"] as? String == "2026-11-25T12:00:00-05:00")
            let listed = try await Self.check(
                api,
                #"{"lead_id":"\#(cold)","channel":"call","purpose":"marketing","at":"\#(Self.noon)"}"#
            )
            #expect(listed["decision"] as? String == "deny")
            #expect(Self.codes(listed) == ["national_dnc"])
            let early = try await Self.check(
                api,
                #"{"lead_id":"\#(consenting)","channel":"call","purpose":"marketing","at":"2026-11-25T12:59:00Z"}"#
            )
            #expect(early["decision"] as? String == "defer")
            #expect(early["next_allowed_at"] as? String == "2026-11-25T13:00:00Z")

            // An older copy makes the registry stale for calls without consent.
            clock.advance(60)
            let old = try await Self.uploadRegistry(api, downloaded: "2026-10-01", "2125550199\n")
            #expect(old.status == .ok)
            let stale = try await Self.check(
                api,
                #"{"phone":"(212) 555-0123","zip":"10001","state":"NY","channel":"call","purpose":"marketing","at":"\#(Self.noon)"}"#
            )
            #expect(Self.codes(stale) == ["dnc_registry_stale"])
        }
    }

    @Test("bad input: field errors, never an allowed call")
    func badInput() async throws {
        try await withApp(clock: TestClock(Self.clockStart)) { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let refused = try await api.call(
                .POST, "/api/v1/compliance/check",
                json: #"{"phone":"2125550100","channel":"fax","purpose":"marketing","at":"noon"}"#)
            #expect(refused.status == .unprocessableEntity)
            let fields =
                (try refused.json()["error"] as? [String: Any])?["fields"] as? [String: String]
            #expect(
                fields?["channel"]?.contains("'fax' is not one of call, sms, email, voicemail")
                    == true)
            #expect(fields?["at"] != nil)
            let invalid = try await Self.check(
                api, #"{"phone":"555-0100","zip":"10001","channel":"call","purpose":"marketing"}"#)
            #expect(invalid["decision"] as? String == "deny")
            #expect(Self.codes(invalid) == ["invalid_number"])
            let unknownState = try await Self.check(
                api,
                #"{"phone":"2125550100","zip":"10001","state":"XX","channel":"call","purpose":"servicing"}"#
            )
            #expect(Self.codes(unknownState) == ["unknown_state"])
            let missingLead = try await api.call(
                .POST, "/api/v1/compliance/check",
                json: #"{"lead_id":"\#(UUID())","channel":"call","purpose":"marketing"}"#)
            #expect(missingLead.status == .notFound)
        }
    }

    @Test("the batch decides each check in order and reports bad ones in place")
    func batch() async throws {
        try await withApp(clock: TestClock(Self.clockStart)) { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let lead = try await Self.lead(api, consent: true)
            _ = try await Self.uploadRegistry(api, "2125550999\n")
            let response = try await api.call(
                .POST, "/api/v1/compliance/check/batch",
                json: #"""
                    {"checks":[
                      {"lead_id":"\#(lead)","channel":"email","purpose":"marketing","at":"\#(Self.noon)"},
                      {"lead_id":"\#(UUID())","channel":"call","purpose":"marketing"},
                      {"phone":"2125550100","channel":"sms","purpose":"nonsense"},
                      {"phone":"2125550100","zip":"10001","channel":"call","purpose":"servicing","at":"2026-11-25T03:00:00Z"}
                    ]}
                    """#)
            #expect(response.status == .ok, "\(response.body.string)")
            let results = try #require(try response.json()["results"] as? [[String: Any]])
            #expect(results.map { $0["index"] as? Int } == [0, 1, 2, 3])
            #expect((results[0]["result"] as? [String: Any])?["decision"] as? String == "allow")
            #expect(results[1]["error"] as? String == "lead_id: No such lead.")
            #expect((results[2]["error"] as? String)?.hasPrefix("purpose:") == true)
            #expect((results[3]["result"] as? [String: Any])?["decision"] as? String == "defer")

            // A member of the wrong type fails its own check; the others are still decided.
            let mixed = try await api.call(
                .POST, "/api/v1/compliance/check/batch",
                json: #"""
                    {"record":false,"checks":[
                      {"lead_id":"not-a-uuid","channel":"call","purpose":"marketing"},
                      {"phone":2125550100,"channel":"call","purpose":"marketing","extra":{"a":[1,2.5e3,null]}},
                      "nonsense",
                      {"lead_id":"\#(lead)","channel":"email","purpose":"marketing","at":"\#(Self.noon)"}
                    ]}
                    """#)
            #expect(mixed.status == .ok, "\(mixed.body.string)")
            let mixedResults = try #require(try mixed.json()["results"] as? [[String: Any]])
            #expect(mixedResults.count == 4)
            #expect(
                (mixedResults[0]["error"] as? String)?.contains("lead_id: Not a lead id") == true)
            #expect(
                (mixedResults[1]["error"] as? String)?.contains("phone: Must be a string.") == true)
            #expect(
                (mixedResults[2]["error"] as? String)?.contains("check: Must be an object.") == true
            )
            #expect(
                (mixedResults[3]["result"] as? [String: Any])?["decision"] as? String == "allow")

            // A body that is not JSON is refused with where it broke; nothing is decided.
            let broken = try await api.call(
                .POST, "/api/v1/compliance/check/batch",
                json: #"{"checks":[{"phone":"2125550100","channel":"call"]}"#)
            #expect(broken.status == .badRequest)
            #expect(broken.body.string.contains("at byte 49"), "\(broken.body.string)")
            let missing = try await api.call(
                .POST, "/api/v1/compliance/check/batch", json: #"{"check":[]}"#)
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.body.string.contains("Required: an array of checks."))

            let tooMany = (0...ComplianceAPIController.batchLimit).map { _ in
                #"{"phone":"2125550100","channel":"call","purpose":"marketing"}"#
            }.joined(separator: ",")
            let refused = try await api.call(
                .POST, "/api/v1/compliance/check/batch", json: #"{"checks":[\#(tooMany)]}"#)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("At most 10000 checks"))
        }
    }

    @Test("recorded decisions reach the timeline and count towards frequency limits")
    func recorded() async throws {
        try await withApp(clock: TestClock(Self.clockStart)) { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            _ = try await Self.uploadRegistry(api, "3055550999\n")
            let florida = try await Self.lead(api, phone: "3055550100", zip: "33101", consent: true)
            var verdicts: [String] = []
            for minute in 0..<4 {
                let decision = try await Self.check(
                    api,
                    #"{"lead_id":"\#(florida)","channel":"call","purpose":"marketing","at":"2026-11-25T17:0\#(minute):00Z","record":true}"#
                )
                verdicts.append(decision["decision"] as? String ?? "")
                #expect(decision["decision_id"] is String)
            }
            // The organization's default cap is 3 calls a day, as is Florida's limit.
            #expect(verdicts == ["allow", "allow", "allow", "defer"])
            let stored = try await ContactDecisionRecord.query(on: app.db).all()
            #expect(stored.count == 4)
            #expect(
                stored.allSatisfy {
                    $0.contact == "+13055550100" && $0.rulesVersion.hasPrefix("rules-")
                })
            let timeline = try await api.call(.GET, "/api/v1/leads/\(florida)/timeline")
            #expect(timeline.body.string.contains("Marketing call: allowed"))
            #expect(
                timeline.body.string.contains(
                    "Marketing call: deferred (state frequency limit, organization frequency cap)"))
        }
    }

    @Test("the internal list: agents add, only compliance removes, the history stays")
    func internalList() async throws {
        try await withApp(clock: TestClock(Self.clockStart)) { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (owner, _) = try await APIClient.signIn(app, fixture.owner.email)
            let (agent, _) = try await APIClient.signIn(app, fixture.users[.agent]!.email)
            let (officer, _) = try await APIClient.signIn(app, fixture.users[.compliance]!.email)
            _ = try await Self.uploadRegistry(owner, "2125550999\n")
            let lead = try await Self.lead(owner, consent: true)
            let added = try await agent.call(
                .POST, "/api/v1/compliance/internal-dnc",
                json: #"{"phone":"(212) 555-0100","reason":"Asked on the call"}"#)
            #expect(added.status == .created, "\(added.body.string)")
            #expect(try added.json()["phone"] as? String == "+12125550100")
            let again = try await agent.call(
                .POST, "/api/v1/compliance/internal-dnc", json: #"{"phone":"2125550100"}"#)
            #expect(again.status == .ok)
            let blocked = try await Self.check(
                owner,
                #"{"lead_id":"\#(lead)","channel":"call","purpose":"marketing","at":"\#(Self.noon)"}"#
            )
            #expect(Self.codes(blocked) == ["internal_dnc"])
            #expect(
                try await agent.call(.DELETE, "/api/v1/compliance/internal-dnc/2125550100").status
                    == .forbidden)
            let removed = try await officer.call(
                .DELETE,
                "/api/v1/compliance/internal-dnc/2125550100?reason=Consumer%20asked%20again")
            #expect(removed.status == .ok, "\(removed.body.string)")
            let open = try await Self.check(
                owner,
                #"{"lead_id":"\#(lead)","channel":"call","purpose":"marketing","at":"\#(Self.noon)"}"#
            )
            #expect(open["decision"] as? String == "allow")
            let history = try await officer.call(
                .GET, "/api/v1/compliance/internal-dnc?include_removed=true")
            #expect(try history.json()["count"] as? Int == 1)
            #expect(history.body.string.contains("Consumer asked again"))
            let bad = try await agent.call(
                .POST, "/api/v1/compliance/internal-dnc", json: #"{"phone":"12345"}"#)
            #expect(bad.status == .unprocessableEntity)
            let timeline = try await owner.call(.GET, "/api/v1/leads/\(lead)/timeline")
            #expect(
                timeline.body.string.contains(
                    "Added (212) 555-0100 to the internal do-not-call list"))
            #expect(
                timeline.body.string.contains(
                    "Removed (212) 555-0100 from the internal do-not-call list"))
        }
    }

    @Test("registry uploads: both layouts, rejected lines with numbers, change lists, bad queries")
    func registryUploads() async throws {
        try await withApp(clock: TestClock(Self.clockStart)) { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let full = try await Self.uploadRegistry(
                api, list: "TX", "2145550100\r\n214,5550101\r\nnot a number\r\n2145550102\r\n")
            #expect(full.status == .ok, "\(full.body.string)")
            let body = try full.json()
            #expect(body["loaded"] as? Int == 3)
            #expect(body["rejected"] as? Int == 1)
            #expect(body["total_numbers"] as? Int == 3)
            let rejected = try #require(body["rejected_lines"] as? [[String: Any]])
            #expect(rejected.first?["line"] as? Int == 3)
            let listed = try await Self.check(
                api,
                #"{"phone":"214-555-0101","zip":"75201","channel":"call","purpose":"marketing","at":"\#(Self.noon)"}"#
            )
            #expect(Self.codes(listed).contains("state_dnc"))

            let refused = try await Self.uploadRegistry(api, list: "XX", "2145550100\n")
            #expect(refused.status == .unprocessableEntity)
            let future = try await Self.uploadRegistry(
                api, downloaded: "2030-01-01", "2145550100\n")
            #expect(future.status == .unprocessableEntity)
            let garbage = try await Self.uploadRegistry(api, list: "TX", "hello\nworld\n")
            #expect(garbage.status == .unprocessableEntity)
            #expect(garbage.body.string.contains("No number could be read"))
            let status = try await api.call(.GET, "/api/v1/compliance/dnc-registry")
            #expect(try (status.json()["lists"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test("inbound STOP, START and HELP; a bankruptcy mention raises a flag compliance reviews")
    func inboundAndFlags() async throws {
        try await withApp(clock: TestClock(Self.clockStart)) { app, clock in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let (officer, _) = try await APIClient.signIn(app, fixture.users[.compliance]!.email)
            _ = try await Self.uploadRegistry(api, "2125550999\n")
            let lead = try await Self.lead(api, consent: true)
            let text =
                #"{"lead_id":"\#(lead)","channel":"sms","purpose":"marketing","at":"\#(Self.noon)"}"#

            let stop = try await api.call(
                .POST, "/api/v1/compliance/inbound-messages",
                json: #"{"from":"+12125550100","body":"Stop"}"#)
            #expect(stop.status == .ok, "\(stop.body.string)")
            #expect(try stop.json()["intent"] as? String == "opt_out")
            #expect((try stop.json()["reply"] as? String)?.isEmpty == false)
            let stopped = try await Self.check(api, text)
            #expect(Self.codes(stopped) == ["opted_out", "consent_revoked"], "\(stopped)")
            clock.advance(60)
            let start = try await api.call(
                .POST, "/api/v1/compliance/inbound-messages",
                json: #"{"from":"2125550100","body":"START"}"#)
            #expect(try start.json()["intent"] as? String == "opt_in")
            #expect(try await Self.check(api, text)["decision"] as? String == "allow")
            let help = try await api.call(
                .POST, "/api/v1/compliance/inbound-messages",
                json: #"{"from":"2125550100","body":"help"}"#)
            #expect((try help.json()["reply"] as? String)?.contains("Org acme") == true)
            #expect(
                (try help.json()["reply"] as? String)?.contains("For help, contact http") == true)

            let mention = try await api.call(
                .POST, "/api/v1/compliance/inbound-messages",
                json:
                    #"{"from":"2125550100","body":"I filed chapter 7 last month, talk to my lawyer"}"#
            )
            #expect(try mention.json()["flags_raised"] as? Int == 1)
            let call =
                #"{"lead_id":"\#(lead)","channel":"call","purpose":"marketing","at":"\#(Self.noon)"}"#
            #expect(Self.codes(try await Self.check(api, call)) == ["bankruptcy"])
            let pending = try await officer.call(
                .GET, "/api/v1/compliance/flags?status=pending_review")
            let flag = try #require((try pending.json()["flags"] as? [[String: Any]])?.first)
            #expect((flag["evidence"] as? String)?.contains("chapter 7") == true)
            let cleared = try await officer.call(
                .POST, "/api/v1/compliance/flags/\(flag["id"] as! String)/review",
                json: #"{"decision":"clear","note":"Filing was dismissed in 2019"}"#)
            #expect(cleared.status == .ok, "\(cleared.body.string)")
            #expect(try await Self.check(api, call)["decision"] as? String == "allow")

            // A note that mentions a filing raises a new flag; agents mark attorney by hand.
            let note = try await api.call(
                .POST, "/api/v1/leads/\(lead)/notes",
                json: #"{"body":"Client says his bankruptcy attorney will call us."}"#)
            #expect(note.status == .created, "\(note.body.string)")
            #expect(Self.codes(try await Self.check(api, call)) == ["bankruptcy"])
            let attorney = try await api.call(
                .POST, "/api/v1/leads/\(lead)/compliance-flags",
                json: #"{"kind":"attorney_represented","note":"Smith & Co represent her"}"#)
            #expect(attorney.status == .created)
            let servicing =
                #"{"lead_id":"\#(lead)","channel":"email","purpose":"servicing","at":"\#(Self.noon)"}"#
            #expect(
                Self.codes(try await Self.check(api, servicing)).contains("attorney_represented"))
        }
    }

    @Test("one organization's registry, internal list and opt-outs never decide another's checks")
    func crossTenant() async throws {
        try await withApp(clock: TestClock(Self.clockStart)) { app, _ in
            let alpha = try await Fixture.make(app, slug: "alpha")
            _ = try await Fixture.make(app, slug: "bravo")
            let (alphaAPI, _) = try await APIClient.signIn(app, alpha.owner.email)
            let (bravoAPI, _) = try await APIClient.signIn(app, "owner@bravo.example")
            _ = try await Self.uploadRegistry(alphaAPI, "2125550100\n2125550111\n")
            _ = try await Self.uploadRegistry(bravoAPI, "3055550100\n")
            _ = try await alphaAPI.call(
                .POST, "/api/v1/compliance/internal-dnc", json: #"{"phone":"2125550122"}"#)
            let check = { (phone: String) in
                #"{"phone":"\#(phone)","zip":"10001","channel":"call","purpose":"marketing","at":"\#(Self.noon)"}"#
            }
            #expect(
                Self.codes(try await Self.check(alphaAPI, check("2125550100"))) == ["national_dnc"])
            #expect(
                Self.codes(try await Self.check(alphaAPI, check("2125550122"))) == ["internal_dnc"])
            #expect(
                try await Self.check(bravoAPI, check("2125550100"))["decision"] as? String
                    == "allow")
            #expect(
                try await Self.check(bravoAPI, check("2125550122"))["decision"] as? String
                    == "allow")
        }
    }

    @Test("large organizations' lists are probed per batch and decide the same")
    func probedLists() async throws {
        try await withApp(clock: TestClock(Self.clockStart)) { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            _ = try await Self.uploadRegistry(api, "2125550999\n")
            let dnc = try await Self.lead(api, phone: "2125550101", consent: true)
            let stopped = try await Self.lead(api, phone: "2125550102", consent: true)
            let flagged = try await Self.lead(api, phone: "2125550103", consent: true)
            _ = try await api.call(
                .POST, "/api/v1/compliance/internal-dnc", json: #"{"phone":"2125550101"}"#)
            _ = try await api.call(
                .POST, "/api/v1/compliance/inbound-messages",
                json: #"{"from":"2125550102","body":"STOP"}"#)
            _ = try await api.call(
                .POST, "/api/v1/leads/\(flagged)/compliance-flags", json: #"{"kind":"deceased"}"#)
            var service = ComplianceService(
                database: app.db, organizationID: try fixture.organization.requireID,
                runtime: app.relief.compliance, actorLabel: "test")
            let at = ISO8601Instant.parse(Self.noon)!
            func checks(_ channel: ContactChannel) -> [GateCheck] {
                [dnc, stopped, flagged].map {
                    GateCheck(
                        subject: .lead(UUID(uuidString: $0)!),
                        request: ContactGateRequest(
                            channel: channel, purpose: .marketing, method: .manual, at: at))
                }
            }
            let busy = UUID(
                uuidString: try await Self.lead(api, phone: "2125550104", consent: true))!
            func call(_ subject: GateSubject, hoursAgo: Double = 0) -> GateCheck {
                GateCheck(
                    subject: subject,
                    request: ContactGateRequest(
                        channel: .call, purpose: .marketing, method: .manual,
                        at: at.addingTimeInterval(-hoursAgo * 3_600)))
            }
            for hour in 1...3 {
                _ = try await service.decide(
                    [call(.lead(busy), hoursAgo: Double(hour))], record: true)
            }
            let bare = GateSubject.contact(
                phone: "212-555-0104", email: nil, zip: "10001", state: "NY")
            for limit in [20_000, 0] {
                service.wholeListLimit = limit
                let calls = try await service.decide(checks(.call), record: false)
                #expect(
                    calls.map { $0.decision?.reasonCodes } == [[.internalDNC], [], [.deceased]])
                let again = try await service.decide(
                    [call(.lead(busy)), call(bare)], record: false)
                #expect(
                    again.map { $0.decision?.reasonCodes } == [
                        [.orgFrequencyCap], [.orgFrequencyCap],
                    ],
                    "limit \(limit)")
                let texts = try await service.decide(checks(.sms), record: false)
                #expect(texts[1].decision?.reasonCodes.first == .optedOut, "limit \(limit)")
            }
            // Split over two connections, the lookups decide the same.
            service.otherLoopDatabases = [app.db]
            service.splitLookupMinimum = 1
            let split = try await service.decide(checks(.call) + [call(.lead(busy))], record: false)
            #expect(
                split.map { $0.decision?.reasonCodes } == [
                    [.internalDNC], [], [.deceased], [.orgFrequencyCap],
                ])
        }
    }

    @Test("imported notes that mention a filing raise bankruptcy flags for review")
    func importedNotes() async throws {
        try await withApp(clock: TestClock(Self.clockStart)) { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let csv = """
                First Name,Last Name,Phone,Notes
                Ann,Filer,2125550101,"Filed chapter 13 in 2024, trustee pays creditors"
                Bob,Clean,2125550102,Lost his job in March
                Cy,Negated,2125550103,Never filed bankruptcy

                """
            let upload = try await api.upload("/api/v1/imports", Array(csv.utf8))
            #expect(upload.status == .accepted, "\(upload.body.string)")
            _ = try await ImportTests.finish(app, try #require(try upload.json()["id"] as? String))
            let flags = try await ComplianceFlag.query(on: app.db).all()
            #expect(flags.count == 1)
            #expect(flags.first?.status == .pendingReview)
            #expect(flags.first?.evidence.contains("chapter 13") == true)
        }
    }

    @Test("the hand-written batch JSON is what JSONEncoder writes")
    func batchJSON() async throws {
        let decision = ComplianceAPIController.DecisionDTO(
            GateCheckResult(
                check: GateCheck(
                    subject: .lead(UUID()),
                    request: ContactGateRequest(
                        channel: .call, purpose: .marketing, method: .manual, at: Date())),
                decision: GateDecision(
                    verdict: .defer,
                    reasons: [GateReason(.outsideCallingHours, "It is \"late\"\n\\ \u{1}é")],
                    nextAllowedAt: Date(timeIntervalSince1970: 1_795_000_000),
                    obligations: [
                        GateObligation(.identifyWithinSeconds, "Within 10 s", seconds: 10),
                        GateObligation(.recordingDisclosureRequired, "Announce"),
                    ], timeZone: "America/New_York",
                    timeZonesChecked: ["America/New_York", "America/Chicago"],
                    localTime: "2026-11-18T07:26:40-05:00", rulesVersion: "rules-1"),
                recordID: UUID()))
        let response = ComplianceAPIController.BatchResponse(
            count: 2,
            results: [
                .init(index: 0, result: decision, error: nil),
                .init(index: 1, result: nil, error: "lead_id: No such lead."),
            ])
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let expected =
            try JSONSerialization.jsonObject(with: encoder.encode(response)) as? NSDictionary
        let written = try JSONSerialization.jsonObject(with: Data(response.json())) as? NSDictionary
        #expect(written != nil)
        #expect(written == expected)
        let large = ComplianceAPIController.BatchResponse(
            count: 5_000,
            results: (0..<5_000).map {
                .init(
                    index: $0, result: $0 % 3 == 0 ? nil : decision, error: $0 % 3 == 0 ? "x" : nil)
            })
        let sliced = try JSONSerialization.jsonObject(with: Data(try await large.jsonOnEveryCore()))
        let whole = try JSONSerialization.jsonObject(with: Data(large.json()))
        #expect(sliced as? NSDictionary == whole as? NSDictionary)
    }
}
