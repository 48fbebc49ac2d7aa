import Fluent
import Foundation
import ReliefCore
import Testing
import Vapor
import VaporTesting

@testable import ReliefApp

/// The compliance pages: the dashboard, state rules, DNC registry uploads, the internal list,
/// flag reviews, the caller id pool, settings, the lead page's panel and the evidence export.
@Suite("Compliance pages")
struct CompliancePagesTests {
    /// An organization with one row of each kind, seeded through the API.
    struct Seeded {
        var fixture: Fixture
        var api: APIClient
        /// A New York lead with consent, a STOP reply, an e-mail decision and an attorney flag.
        var leadID: String
        /// A lead on the national registry, with a refused call and a pending bankruptcy flag.
        var listedID: String
    }

    static func seed(_ app: Application) async throws -> Seeded {
        let fixture = try await Fixture.make(app, slug: "acme")
        let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
        let lead = try await ComplianceAPITests.lead(api, consent: true)
        let listed = try await ComplianceAPITests.lead(api, phone: "2125550111", consent: false)
        let upload = try await ComplianceAPITests.uploadRegistry(api, "2125550111\n2125550999\n")
        #expect(upload.status == .ok, "\(upload.body.string)")
        let calls: [(String, String)] = [
            ("/api/v1/compliance/internal-dnc", #"{"phone":"2125550122","reason":"Hung up"}"#),
            ("/api/v1/compliance/inbound-messages", #"{"from":"2125550100","body":"STOP"}"#),
            (
                "/api/v1/compliance/check",
                #"{"lead_id":"\#(listed)","channel":"call","purpose":"marketing","record":true}"#
            ),
            (
                "/api/v1/leads/\(listed)/notes",
                #"{"body":"He filed chapter 7 in March, the trustee called."}"#
            ),
            (
                "/api/v1/leads/\(lead)/compliance-flags",
                #"{"kind":"attorney_represented","note":"Smith & Co represent her"}"#
            ),
            (
                "/api/v1/compliance/check",
                #"{"lead_id":"\#(lead)","channel":"email","purpose":"transactional","record":true}"#
            ),
            ("/api/v1/compliance/caller-ids", #"{"phone":"3055550140","daily_cap":120}"#),
        ]
        for (path, json) in calls {
            let response = try await api.call(.POST, path, json: json)
            #expect(response.status.code < 300, "\(path): \(response.body.string)")
        }
        return Seeded(fixture: fixture, api: api, leadID: lead, listedID: listed)
    }

    static func signedIn(_ app: Application, _ fixture: Fixture, _ role: ReliefCore.Role)
        async throws -> Browser
    {
        let browser = Browser(app)
        try await browser.signIn(fixture.users[role]!.email)
        return browser
    }

    static let pages = [
        "/app/compliance", "/app/compliance/rules", "/app/compliance/dnc",
        "/app/compliance/internal-dnc", "/app/compliance/flags", "/app/compliance/caller-ids",
        "/app/compliance/settings",
    ]

    @Test("every compliance page renders with data, in the layout, with the chart and the facts")
    func pagesRender() async throws {
        try await withApp(clock: TestClock(ComplianceAPITests.clockStart)) { app, _ in
            let seeded = try await Self.seed(app)
            let officer = try await Self.signedIn(app, seeded.fixture, .compliance)
            for path in Self.pages + [
                "/app/leads/\(seeded.leadID)", "/app/leads/\(seeded.listedID)/evidence",
            ] {
                let response = try await officer.get(path)
                #expect(response.status == .ok, "\(path) gave \(response.status)")
                #expect(response.body.string.contains("<main id=\"main\""), "\(path) lacks layout")
            }

            let dashboard = try await officer.get("/app/compliance").body.string
            #expect(dashboard.contains("data-decisions-chart"))
            #expect(dashboard.contains("relief-chart-stacked-bar"))
            #expect(dashboard.contains("<code>national_dnc</code>"))
            #expect(dashboard.contains("Fresh"), "the 5-day-old national copy is fresh")
            #expect(dashboard.contains("5 days"))
            #expect(dashboard.contains("/app/compliance/flags"))
            #expect(dashboard.contains("Pat Lee"), "the pending flag and the DNC hit name the lead")
            #expect(dashboard.contains("(212) 555-0100"), "the STOP opt-out is listed")
            #expect(dashboard.contains("aria-current=\"page\""))

            let rules = try await officer.get("/app/compliance/rules").body.string
            #expect(rules.contains(app.relief.compliance.gate.rules.version))
            #expect(rules.contains("Florida") && rules.contains("3 per 24 h, same subject"))
            #expect(rules.contains("Thanksgiving Day") && rules.contains("Federal holidays 2027"))
            #expect(rules.contains("Fla. Stat. 501.616"))

            let flags = try await officer.get("/app/compliance/flags").body.string
            #expect(flags.contains("chapter 7") && flags.contains("data-review-form"))
            let callers = try await officer.get("/app/compliance/caller-ids").body.string
            #expect(callers.contains("(305) 555-0140") && callers.contains("0 / 120"))
            let list = try await officer.get("/app/compliance/internal-dnc").body.string
            #expect(list.contains("(212) 555-0122") && list.contains("Hung up"))
            #expect(list.contains("data-internal-dnc-add"), "officers add numbers")
            #expect(list.contains("/remove"), "officers remove")

            let leadPage = try await officer.get("/app/leads/\(seeded.listedID)").body.string
            #expect(leadPage.contains("data-compliance-panel"))
            #expect(leadPage.contains("Marketing call") && leadPage.contains("Not allowed"))
            #expect(leadPage.contains("National Do Not Call Registry"))
            #expect(leadPage.contains("Bankruptcy") && leadPage.contains("Awaiting review"))
            #expect(leadPage.contains("/app/leads/\(seeded.listedID)/evidence"))
            // The recorded decision renders in the timeline with its reasons.
            #expect(leadPage.contains("timeline-compliance timeline-tone-danger"))
            #expect(leadPage.contains("Marketing call: denied (national dnc)"))

            let evidence = try await officer.get("/app/leads/\(seeded.leadID)/evidence").body
                .string
            #expect(evidence.contains("I agree.") && evidence.contains("Withdrawn"))
            #expect(evidence.contains("data-evidence=\"decisions\""))
            #expect(evidence.contains(app.relief.compliance.gate.rules.version))
            #expect(evidence.contains("Smith &amp; Co represent her"))
            #expect(evidence.contains("data-print"))
        }
    }

    @Test("an organization without compliance data: never-loaded registry, empty states")
    func emptyPages() async throws {
        try await withApp(clock: TestClock(ComplianceAPITests.clockStart)) { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let owner = try await Self.signedIn(app, fixture, .owner)
            for path in Self.pages {
                let response = try await owner.get(path)
                #expect(response.status == .ok, "\(path) gave \(response.status)")
            }
            let dashboard = try await owner.get("/app/compliance").body.string
            #expect(dashboard.contains("Never loaded"))
            #expect(dashboard.contains("No national registry copy has been loaded"))
            let settings = try await owner.get("/app/compliance/settings").body.string
            #expect(settings.contains("These are the defaults"))
            #expect(settings.contains("value=\"3\""))
        }
    }

    @Test("access: agents and viewers are refused, managers read but cannot upload or review")
    func access() async throws {
        try await withApp(clock: TestClock(ComplianceAPITests.clockStart)) { app, _ in
            let seeded = try await Self.seed(app)
            let fixture = seeded.fixture
            let agent = try await Self.signedIn(app, fixture, .agent)
            let home = try await agent.get("/app").body.string
            #expect(!home.contains("href=\"/app/compliance\""), "agents see no compliance link")
            for path in Self.pages + ["/app/leads/\(seeded.leadID)/evidence"] {
                #expect(try await agent.get(path).status == .forbidden, "agent \(path)")
            }
            let viewer = try await Self.signedIn(app, fixture, .viewer)
            for path in Self.pages {
                #expect(try await viewer.get(path).status == .forbidden, "viewer \(path)")
            }
            try await viewer.get("/app")
            let viewerUpload = try await viewer.multipart(
                "/app/compliance/dnc", [("list", "national"), ("downloaded_at", "2026-11-20")],
                file: ("file", "n.txt", Array("2125550100\n".utf8)))
            #expect(viewerUpload.status == .forbidden)

            let manager = try await Self.signedIn(app, fixture, .manager)
            let page = try await manager.get("/app/compliance/dnc")
            #expect(page.status == .ok)
            #expect(!page.body.string.contains("data-dnc-upload"), "no upload form without manage")
            let upload = try await manager.multipart(
                "/app/compliance/dnc", [("list", "national"), ("downloaded_at", "2026-11-20")],
                file: ("file", "n.txt", Array("2125550100\n".utf8)))
            #expect(upload.status == .forbidden)
            try await manager.get("/app/compliance/flags")
            let flag = try #require(
                try await ComplianceFlag.query(on: app.db).filter(\.$status == .pendingReview)
                    .first())
            let review = try await manager.post(
                "/app/compliance/flags/\(try flag.requireID())/review",
                [("decision", "clear"), ("note", "x")])
            #expect(review.status == .forbidden)
            #expect(
                try await manager.post("/app/compliance/settings", [("calls_per_24h", "5")])
                    .status == .forbidden)
            let managerNav = try await manager.get("/app").body.string
            #expect(managerNav.contains("href=\"/app/compliance\""))
            #expect(try await DNCRegistryUpload.query(on: app.db).count() == 1)
        }
    }

    @Test("the DNC page loads a file posted by the form, shows its counts and refuses bad files")
    func webUpload() async throws {
        try await withApp(clock: TestClock(ComplianceAPITests.clockStart)) { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let officer = try await Self.signedIn(app, fixture, .compliance)
            try await officer.get("/app/compliance/dnc")
            let posted = try await officer.multipart(
                "/app/compliance/dnc", [("list", "TX"), ("downloaded_at", "2026-11-20")],
                file: (
                    "file", "texas.txt",
                    Array("2145550100\n214,5550101\nnot a number\n2145550102\n".utf8)
                ))
            #expect(posted.status == .seeOther, "\(posted.body.string)")
            let location = try #require(posted.headers.first(name: .location))
            #expect(location.hasPrefix("/app/compliance/dnc?upload="))
            let result = try await officer.get(location).body.string
            #expect(result.contains(#"data-result="loaded">3<"#))
            #expect(result.contains(#"data-result="rejected">1<"#))
            #expect(result.contains(#"<th scope="row" class="num">3</th>"#), "line 3 is named")
            #expect(result.contains("Loaded 3 numbers into the Texas (TX) (1 line rejected)."))
            #expect(result.contains("texas.txt"))

            // The page's script: the raw file streamed, JSON back.
            let script = try await officer.upload(
                "/app/compliance/dnc?list=national&downloaded_at=2026-11-24",
                Array("2125550100\r\n2125550101\r\n".utf8), fileName: "national%20copy.txt")
            #expect(script.status == .created, "\(script.body.string)")
            let json = try script.json()
            #expect((json["upload"] as? [String: Any])?["loaded"] as? Int == 2)
            #expect(
                (json["upload"] as? [String: Any])?["file_name"] as? String == "national copy.txt")
            #expect((json["url"] as? String)?.hasPrefix("/app/compliance/dnc?upload=") == true)
            let badScript = try await officer.upload(
                "/app/compliance/dnc?list=XX&downloaded_at=2026-11-24", Array("1\n".utf8),
                fileName: "x.txt")
            #expect(badScript.status == .unprocessableEntity)
            #expect(
                ((try badScript.json()["error"] as? [String: Any])?["fields"] as? [String: String])?[
                    "list"] != nil)

            // Refused files change nothing.
            let blocks = try await DNCRegistryBlock.query(on: app.db).count()
            try await officer.get("/app/compliance/dnc")
            let garbage = try await officer.multipart(
                "/app/compliance/dnc", [("list", "TX"), ("downloaded_at", "2026-11-20")],
                file: ("file", "bad.txt", Array("phone 12\n555-0100\n".utf8)))
            #expect(garbage.status == .unprocessableEntity)
            #expect(garbage.body.string.contains("No number could be read"))
            #expect(
                garbage.body.string.contains("line 1") && garbage.body.string.contains("line 2"))
            let wrong = try await officer.multipart(
                "/app/compliance/dnc", [("list", "XX"), ("downloaded_at", "2030-01-01")],
                file: ("file", "x.txt", Array("2145550100\n".utf8)))
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("two-letter state code"))
            #expect(wrong.body.string.contains("is in the future"))
            let missing = try await officer.multipart(
                "/app/compliance/dnc", [("list", "TX"), ("downloaded_at", "2026-11-20")],
                file: nil)
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.body.string.contains("Choose the registry file"))
            #expect(try await DNCRegistryUpload.query(on: app.db).count() == 2)
            #expect(try await DNCRegistryBlock.query(on: app.db).count() == blocks)
            let history = try await officer.get("/app/compliance/dnc").body.string
            #expect(history.contains("national copy.txt") && history.contains("texas.txt"))
        }
    }

    @Test("the internal list on the web: add with a reason, remove with a reason, history kept")
    func internalList() async throws {
        try await withApp(clock: TestClock(ComplianceAPITests.clockStart)) { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let lead = try await ComplianceAPITests.lead(api, consent: true)
            let owner = try await Self.signedIn(app, fixture, .owner)
            try await owner.get("/app/compliance/internal-dnc")
            let noReason = try await owner.post(
                "/app/compliance/internal-dnc", [("phone", "(212) 555-0133"), ("reason", " ")])
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.body.string.contains("Say why"))
            let badPhone = try await owner.post(
                "/app/compliance/internal-dnc", [("phone", "12345"), ("reason", "Asked")])
            #expect(badPhone.status == .unprocessableEntity)
            #expect(badPhone.body.string.contains("is not a valid phone number"))
            #expect(badPhone.body.string.contains("value=\"12345\""), "typed values are kept")
            let added = try await owner.post(
                "/app/compliance/internal-dnc",
                [("phone", "(212) 555-0133"), ("reason", "Asked on the call")])
            #expect(added.status == .seeOther)
            let again = try await owner.post(
                "/app/compliance/internal-dnc", [("phone", "2125550133"), ("reason", "Again")])
            #expect(again.status == .seeOther)
            let page = try await owner.get("/app/compliance/internal-dnc").body.string
            #expect(page.contains("(212) 555-0133") && page.contains("Asked on the call"))
            #expect(page.contains("is already on the internal do-not-call list"))
            let entry = try #require(try await InternalDNCEntry.query(on: app.db).first())

            // Only compliance removes, always with a reason.
            let agent = try await Self.signedIn(app, fixture, .agent)
            #expect(
                try await agent.post(
                    "/app/compliance/internal-dnc/\(try entry.requireID())/remove",
                    [("reason", "x")]
                ).status == .forbidden)
            let officer = try await Self.signedIn(app, fixture, .compliance)
            try await officer.get("/app/compliance/internal-dnc")
            let unexplained = try await officer.post(
                "/app/compliance/internal-dnc/\(try entry.requireID())/remove", [("reason", "")])
            #expect(unexplained.status == .unprocessableEntity)
            #expect(unexplained.body.string.contains("Say why the number may be called again."))
            let removed = try await officer.post(
                "/app/compliance/internal-dnc/\(try entry.requireID())/remove",
                [("reason", "Consumer called back and asked to be called")])
            #expect(removed.status == .seeOther)
            let after = try await officer.get("/app/compliance/internal-dnc").body.string
            #expect(after.contains("Removed (212) 555-0133 from the internal do-not-call list."))
            #expect(after.contains("Consumer called back and asked to be called"))
            let stored = try #require(try await InternalDNCEntry.find(entry.id, on: app.db))
            #expect(stored.removedAt != nil && stored.removedBy == fixture.users[.compliance]!.id)
            let twice = try await officer.post(
                "/app/compliance/internal-dnc/\(try entry.requireID())/remove", [("reason", "x")])
            #expect(twice.status == .notFound)

            // From the lead page: the lead's number goes on the list.
            try await owner.get("/app/leads/\(lead)")
            let refused = try await owner.post(
                "/app/leads/\(lead)/internal-dnc", [("phone", "+12125550100"), ("reason", "")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Say why"))
            let fromLead = try await owner.post(
                "/app/leads/\(lead)/internal-dnc",
                [("phone", "+12125550100"), ("reason", "Don't call me again")])
            #expect(fromLead.status == .seeOther)
            let leadPage = try await owner.get("/app/leads/\(lead)").body.string
            #expect(leadPage.contains("Added (212) 555-0100 to the internal do-not-call list"))
            #expect(leadPage.contains("internal do-not-call list"))
            #expect(leadPage.contains("(already on the list)"))
            let listed = try await InternalDNCEntry.query(on: app.db)
                .filter(\.$e164 == "+12125550100").first()
            #expect(listed?.leadID?.uuidString == lead)
            #expect(leadPage.contains("The number is on the organization"), "the panel says why")
        }
    }

    @Test("flags: review with a note from the queue, mark from the lead page")
    func flags() async throws {
        try await withApp(clock: TestClock(ComplianceAPITests.clockStart)) { app, _ in
            let seeded = try await Self.seed(app)
            let officer = try await Self.signedIn(app, seeded.fixture, .compliance)
            let flag = try #require(
                try await ComplianceFlag.query(on: app.db).filter(\.$status == .pendingReview)
                    .first())
            let path = "/app/compliance/flags/\(try flag.requireID())/review"
            try await officer.get("/app/compliance/flags")
            let bare = try await officer.post(path, [("decision", "clear"), ("note", "")])
            #expect(bare.status == .unprocessableEntity)
            #expect(bare.body.string.contains("Write a note"))
            let cleared = try await officer.post(
                path, [("decision", "clear"), ("note", "PACER: case dismissed in 2019")])
            #expect(cleared.status == .seeOther)
            let page = try await officer.get("/app/compliance/flags").body.string
            #expect(page.contains("Bankruptcy flag on Pat Lee cleared."))
            #expect(page.contains("PACER: case dismissed in 2019"))
            #expect(page.contains("Nothing waits for review."))
            #expect(try await ComplianceFlag.find(flag.id, on: app.db)?.status == .cleared)
            let again = try await officer.post(path, [("decision", "confirm"), ("note", "x")])
            #expect(again.status == .seeOther)
            #expect(
                try await officer.get("/app/compliance/flags").body.string.contains(
                    "That flag was already cleared."))

            let owner = try await Self.signedIn(app, seeded.fixture, .owner)
            try await owner.get("/app/leads/\(seeded.listedID)")
            let noNote = try await owner.post(
                "/app/leads/\(seeded.listedID)/compliance-flags", [("kind", "deceased")])
            #expect(noNote.status == .unprocessableEntity)
            #expect(noNote.body.string.contains("Say what you learned"))
            let badKind = try await owner.post(
                "/app/leads/\(seeded.listedID)/compliance-flags",
                [("kind", "alien"), ("note", "x")])
            #expect(badKind.status == .unprocessableEntity)
            #expect(badKind.body.string.contains("Choose what to mark."))
            let marked = try await owner.post(
                "/app/leads/\(seeded.listedID)/compliance-flags",
                [("kind", "cease_communication"), ("note", "Wrote us a letter asking to stop")])
            #expect(marked.status == .seeOther)
            let leadPage = try await owner.get("/app/leads/\(seeded.listedID)").body.string
            #expect(leadPage.contains("Cease communication") && leadPage.contains("Confirmed"))
            #expect(leadPage.contains("Wrote us a letter asking to stop"))
            let agent = try await Self.signedIn(app, seeded.fixture, .agent)
            #expect(
                try await agent.post(path, [("decision", "confirm"), ("note", "x")]).status
                    == .forbidden)
        }
    }

    @Test("caller ids and settings through their forms")
    func callerIDsAndSettings() async throws {
        try await withApp(clock: TestClock(ComplianceAPITests.clockStart)) { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let manager = try await Self.signedIn(app, fixture, .manager)
            try await manager.get("/app/compliance/caller-ids")
            let bad = try await manager.post(
                "/app/compliance/caller-ids", [("phone", "123"), ("daily_cap", "lots")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("A whole number of calls a day"))
            let badPhone = try await manager.post(
                "/app/compliance/caller-ids", [("phone", "123"), ("daily_cap", "80")])
            #expect(badPhone.status == .unprocessableEntity)
            #expect(badPhone.body.string.contains("is not a valid phone number"))
            let added = try await manager.post(
                "/app/compliance/caller-ids", [("phone", "(305) 555-0140"), ("daily_cap", "80")])
            #expect(added.status == .seeOther)
            let number = try #require(try await CallerIDNumber.query(on: app.db).first())
            #expect(number.dailyCap == 80 && number.state == "FL")
            number.health = .flagged
            number.healthReason = "Answered 2% of 60 calls"
            try await number.save(on: app.db)
            let page = try await manager.get("/app/compliance/caller-ids").body.string
            #expect(page.contains("Answered 2% of 60 calls") && page.contains(">Restore<"))
            let agent = try await Self.signedIn(app, fixture, .agent)
            #expect(
                try await agent.post(
                    "/app/compliance/caller-ids/\(try number.requireID())/restore"
                ).status == .forbidden)
            let restored = try await manager.post(
                "/app/compliance/caller-ids/\(try number.requireID())/restore")
            #expect(restored.status == .seeOther)
            #expect(try await CallerIDNumber.find(number.id, on: app.db)?.health == .healthy)
            #expect(
                try await manager.get("/app/compliance/caller-ids").body.string.contains(
                    "Restored (305) 555-0140"))

            let officer = try await Self.signedIn(app, fixture, .compliance)
            try await officer.get("/app/compliance/settings")
            let invalid = try await officer.post(
                "/app/compliance/settings",
                [
                    ("calls_per_24h", "abc"), ("texts_per_24h", "99"), ("emails_per_24h", ""),
                    ("voicemails_per_24h", "1"), ("sms_help_text", "Help"),
                ])
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.body.string.contains("Calls: a whole number from 1 to 50"))
            #expect(invalid.body.string.contains("value=\"abc\""))
            #expect(try await ComplianceSettings.query(on: app.db).count() == 0)
            let capped = try await officer.post(
                "/app/compliance/settings",
                [
                    ("calls_per_24h", "2"), ("texts_per_24h", "99"), ("emails_per_24h", ""),
                    ("voicemails_per_24h", "1"), ("sms_help_text", "Help"),
                ])
            #expect(capped.status == .unprocessableEntity)
            #expect(capped.body.string.contains("Between 1 and 50 a day"))
            let saved = try await officer.post(
                "/app/compliance/settings",
                [
                    ("calls_per_24h", "2"), ("texts_per_24h", ""), ("emails_per_24h", "4"),
                    ("voicemails_per_24h", "1"),
                    ("sms_help_text", "Acme: reply STOP to opt out, call 800-555-0100."),
                ])
            #expect(saved.status == .seeOther)
            let settings = try #require(try await ComplianceSettings.query(on: app.db).first())
            #expect(settings.callsPer24h == 2 && settings.textsPer24h == nil)
            #expect(settings.emailsPer24h == 4)
            #expect(settings.smsHelpText.contains("800-555-0100"))
            let shown = try await officer.get("/app/compliance/settings").body.string
            #expect(shown.contains("Compliance settings saved."))
            #expect(!shown.contains("These are the defaults"))
        }
    }

    @Test("the evidence JSON holds every record, matches the OpenAPI schema, and is audited")
    func evidence() async throws {
        try await withApp(clock: TestClock(ComplianceAPITests.clockStart)) { app, _ in
            let seeded = try await Self.seed(app)
            let api = seeded.api
            let internalAdd = try await api.call(
                .POST, "/api/v1/compliance/internal-dnc",
                json: #"{"phone":"2125550100","reason":"Asked","lead_id":"\#(seeded.leadID)"}"#)
            #expect(internalAdd.status == .created)
            let (officer, _) = try await APIClient.signIn(
                app, seeded.fixture.users[.compliance]!.email)
            let response = try await officer.call(
                .GET, "/api/v1/leads/\(seeded.leadID)/compliance-evidence")
            #expect(response.status == .ok, "\(response.body.string)")
            let json = try response.json()
            let lead = try #require(json["lead"] as? [String: Any])
            #expect(lead["phones"] as? [String] == ["+12125550100"])
            #expect(lead["name"] as? String == "Pat Lee")
            #expect(
                json["current_rules_version"] as? String
                    == app.relief.compliance.gate.rules.version)
            let consents = try #require(json["consents"] as? [[String: Any]])
            #expect(consents.count == 2)
            let grant = consents.first { $0["granted"] as? Bool == true }
            let withdrawal = consents.first { $0["granted"] as? Bool == false }
            #expect(grant?["disclosure_text"] as? String == "I agree.")
            #expect(withdrawal?["source"] as? String == "inbound_message")
            #expect(withdrawal?["disclosure_text"] as? String == "Inbound text: STOP")
            let decisions = try #require(json["decisions"] as? [[String: Any]])
            #expect(decisions.count == 1)
            #expect(decisions.first?["channel"] as? String == "email")
            #expect(
                decisions.first?["rules_version"] as? String
                    == app.relief.compliance.gate.rules.version)
            let optOuts = try #require(json["opt_outs"] as? [[String: Any]])
            #expect(optOuts.map { $0["channel"] as? String } == ["sms"])
            #expect(optOuts.first?["detail"] as? String == "STOP")
            let entries = try #require(json["internal_dnc"] as? [[String: Any]])
            #expect(entries.map { $0["phone"] as? String } == ["+12125550100"])
            let flags = try #require(json["flags"] as? [[String: Any]])
            #expect(flags.map { $0["kind"] as? String } == ["attorney_represented"])
            let timeline = try #require(json["timeline"] as? [[String: Any]])
            #expect(timeline.contains { ($0["summary"] as? String)?.contains("Opted out") == true })
            #expect(timeline.contains { $0["kind"] as? String == "created" })
            let document = try OpenAPISyncTests.document(app)
            let problems = OpenAPISyncTests.conform(
                json, to: OpenAPISyncTests.schema("ComplianceEvidence"), in: document,
                at: "evidence")
            #expect(problems.isEmpty, "\(problems)")

            // The listed lead's refused call carries its reason.
            let listed = try await officer.call(
                .GET, "/api/v1/leads/\(seeded.listedID)/compliance-evidence")
            let refused = try #require((try listed.json()["decisions"] as? [[String: Any]])?.first)
            #expect(refused["verdict"] as? String == "deny")
            #expect(
                (refused["reasons"] as? [[String: Any]])?.first?["code"] as? String
                    == "national_dnc")

            // Every view is audited, page and JSON, with the reader.
            let browser = try await Self.signedIn(app, seeded.fixture, .compliance)
            #expect(try await browser.get("/app/leads/\(seeded.leadID)/evidence").status == .ok)
            let download = try await browser.get("/app/leads/\(seeded.leadID)/evidence.json")
            #expect(download.status == .ok)
            #expect(
                download.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            let views = try await AuditEvent.query(on: app.db)
                .filter(\.$action == "lead.evidence_viewed").sort(\.$sequence).all()
            #expect(views.count == 4)
            #expect(
                views.filter { $0.entityID == seeded.leadID }.map {
                    $0.changes.contains("\"format\":\"html\"")
                } == [false, true, false])
            #expect(views.allSatisfy { $0.actorLabel == "compliance@acme.example" })

            // Agents may not read it.
            let (agent, _) = try await APIClient.signIn(app, seeded.fixture.users[.agent]!.email)
            #expect(
                try await agent.call(.GET, "/api/v1/leads/\(seeded.leadID)/compliance-evidence")
                    .status == .forbidden)
            #expect(
                try await officer.call(.GET, "/api/v1/leads/\(UUID())/compliance-evidence")
                    .status == .notFound)
        }
    }
}
