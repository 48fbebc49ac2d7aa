import Fluent
import Foundation
import ReliefCore
import Testing
import Vapor
import VaporTesting

@testable import ReliefApp

/// Landing pages: the admin pages and their access, the public page (branding, escaping,
/// unpublished 404), the beacon endpoint, the lead form, and tying visitors to leads.
/// The script's Do Not Track / Global Privacy Control check runs in the browser and cannot be
/// tested here: a browser that honours it sends no beacon at all.
@Suite("Landing pages")
struct LandingPagesTests {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)
    static let person = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/133.0"
    static let consent = "I agree that Org acme may call and text me. Reply STOP to opt out."

    struct Setup {
        var app: Application
        var organization: UUID
        var owner: Browser
        var pageID: String

        func events() async throws -> [EngagementEventRecord] {
            try await EngagementEventRecord.query(in: organization, on: app.db)
                .sort(\.$occurredAt).sort(\.$receivedAt).all()
        }

        func beacon(_ json: String, cookie: String? = nil) async throws -> TestingHTTPResponse {
            var headers: HTTPHeaders = ["Content-Type": "text/plain", "User-Agent": person]
            if let cookie { headers.replaceOrAdd(name: .cookie, value: cookie) }
            var captured: TestingHTTPResponse?
            try await app.testing().test(
                .POST, "/t/b", headers: headers, body: ByteBuffer(string: json)
            ) { captured = $0 }
            return try #require(captured)
        }
    }

    /// Organization acme with a published page `/p/debt-help` made through the admin pages.
    static func setup(_ app: Application, consent: String = Self.consent) async throws -> Setup {
        let fixture = try await Fixture.make(app, slug: "acme")
        let owner = Browser(app)
        try await owner.signIn(fixture.owner.email)
        try await owner.get("/app/landing-pages/new")
        let created = try await owner.post(
            "/app/landing-pages",
            [
                ("title", "Debt help"), ("slug", "debt-help"),
                ("body", "# Get help\n\nWe **negotiate** for you."), ("has_form", "yes"),
                ("consent_text", consent),
            ])
        #expect(created.status == .seeOther, "\(created.body.string)")
        let location = try #require(created.headers.first(name: .location))
        let pageID = String(location.split(separator: "/").last ?? "")
        try await owner.get(location)
        let published = try await owner.post(
            "/app/landing-pages/\(pageID)/publish", [("published", "true")])
        #expect(published.status == .seeOther)
        return Setup(
            app: app, organization: try fixture.organization.requireID(), owner: owner,
            pageID: pageID)
    }

    static func formToken(_ html: String) throws -> String {
        let range = try #require(
            html.range(of: #"name="_form" value="[^"]+""#, options: .regularExpression))
        return String(html[range].dropFirst(#"name="_form" value=""#.count).dropLast())
    }

    @Test("pages are created, edited, published and unpublished by managers of the organization")
    func crudAndAccess() async throws {
        try await withApp(clock: TestClock(Self.start)) { app, _ in
            let setup = try await Self.setup(app)
            let list = try await setup.owner.get("/app/landing-pages")
            #expect(list.status == .ok)
            #expect(list.body.string.contains("/p/debt-help"))
            #expect(list.body.string.contains("Published"))
            #expect(try await setup.owner.get("/app/landing-pages/\(setup.pageID)").status == .ok)

            // Invalid input: every field named, nothing changed.
            let bad = try await setup.owner.post(
                "/app/landing-pages/\(setup.pageID)",
                [("title", ""), ("slug", "Bad Slug"), ("body", "x")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("Enter a title"))
            #expect(bad.body.string.contains("lower-case letters"))
            try await setup.owner.get("/app/landing-pages/\(setup.pageID)")
            let edited = try await setup.owner.post(
                "/app/landing-pages/\(setup.pageID)",
                [("title", "Debt help now"), ("slug", "debt-help"), ("body", "Call us.")])
            #expect(edited.status == .seeOther)
            let page = try #require(
                try await LandingPage.query(in: setup.organization, on: app.db).first())
            #expect(page.title == "Debt help now")
            #expect(page.hasForm == false)
            #expect(page.isPublished)

            // Slugs are unique across organizations.
            let other = try await Fixture.make(app, slug: "bravo")
            let bravo = Browser(app)
            try await bravo.signIn(other.owner.email)
            try await bravo.get("/app/landing-pages/new")
            let taken = try await bravo.post(
                "/app/landing-pages", [("title", "Mine"), ("slug", "debt-help"), ("body", "")])
            #expect(taken.status == .unprocessableEntity)
            #expect(taken.body.string.contains("Another page already uses this address."))
            // Another organization's page is not found.
            #expect(try await bravo.get("/app/landing-pages/\(setup.pageID)").status == .notFound)

            // Unpublished pages are not found publicly.
            #expect(try await bravo.get("/p/debt-help").status == .ok)
            try await setup.owner.get("/app/landing-pages/\(setup.pageID)")
            let hidden = try await setup.owner.post(
                "/app/landing-pages/\(setup.pageID)/publish", [("published", "false")])
            #expect(hidden.status == .seeOther)
            #expect(try await bravo.get("/p/debt-help").status == .notFound)
            #expect(try await bravo.get("/p/nothing-here").status == .notFound)

            let actions = try await AuditEvent.query(in: setup.organization, on: app.db)
                .filter(\.$entityType == "landing_page").sort(\.$sequence).all().map(\.action)
            #expect(
                actions == [
                    "landing_page.created", "landing_page.published", "landing_page.updated",
                    "landing_page.unpublished",
                ])

            // A manager reads but cannot change; an agent cannot open the pages at all.
            let acme = try #require(try await Organization.find(setup.organization, on: app.db))
            let manager = Browser(app)
            try await manager.signIn("manager@\(acme.slug).example")
            #expect(try await manager.get("/app/landing-pages").status == .ok)
            #expect(
                try await manager.get("/app/landing-pages/\(setup.pageID)").status == .ok)
            #expect(try await manager.get("/app/landing-pages/new").status == .forbidden)
            let refused = try await manager.post(
                "/app/landing-pages/\(setup.pageID)/publish", [("published", "true")])
            #expect(refused.status == .forbidden)
            let agent = Browser(app)
            try await agent.signIn("agent@\(acme.slug).example")
            #expect(try await agent.get("/app/landing-pages").status == .forbidden)
        }
    }

    @Test(
        "the public page shows the organization's branding, no app chrome, and escapes everything")
    func publicRender() async throws {
        try await withApp(clock: TestClock(Self.start)) { app, _ in
            let setup = try await Self.setup(app)
            let acme = try #require(try await Organization.find(setup.organization, on: app.db))
            acme.displayName = "Acme Relief"
            acme.primaryColor = "#0f766e"
            acme.logoURL = "https://cdn.example/logo.png"
            try await acme.save(on: app.db)
            let visitor = Browser(app)
            let page = try await visitor.get("/p/debt-help?utm_source=google&utm_campaign=spring")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("--brand: #0f766e"))
            #expect(html.contains(#"src="https://cdn.example/logo.png" alt="Acme Relief""#))
            #expect(html.contains("<h2>Get help</h2>"))
            #expect(html.contains("<strong>negotiate</strong>"))
            #expect(html.contains(Self.consent))
            #expect(html.contains(#"<script src="/js/track.js""#))
            #expect(html.contains(#"name="utm_source" value="google""#))
            #expect(html.contains(#"name="utm_campaign" value="spring""#))
            #expect(!html.contains("ReliefCRM"))
            #expect(!html.contains("/css/app.css"))
            #expect(
                page.headers.first(name: "Content-Security-Policy")?.contains("script-src 'self'")
                    == true)

            // Script injection through the title or the body does not get through.
            let page2 = try #require(
                try await LandingPage.query(in: setup.organization, on: app.db).first())
            page2.title = "<script>alert('t')</script>"
            page2.body = "<img src=x onerror=alert(1)>\n\n[x](javascript:alert(2))"
            try await page2.save(on: app.db)
            let hostile = try await visitor.get(
                "/p/debt-help?utm_source=%22%3E%3Cscript%3Ealert(3)%3C/script%3E"
            ).body.string
            #expect(!hostile.contains("<script>alert"))
            #expect(!hostile.contains("<img src=x"))
            #expect(!hostile.contains("href=\"javascript"))
            #expect(hostile.contains("&lt;script&gt;alert("))
        }
    }

    @Test("beacons: valid ones are stored for the visitor, invalid ones get 400 with their code")
    func beacons() async throws {
        try await withApp(clock: TestClock(Self.start)) { app, clock in
            let setup = try await Self.setup(app)
            for json in [
                #"{"t":"view","p":"/p/debt-help","v":"visitor-1"}"#,
                #"{"t":"scroll","p":"/p/debt-help","v":"visitor-1","d":75}"#,
                #"{"t":"time","p":"/p/debt-help","v":"visitor-1","s":130,"k":""}"#,
                // Answered but not stored: the form post records the submission itself.
                #"{"t":"submit","p":"/p/debt-help","v":"visitor-1"}"#,
            ] {
                let response = try await setup.beacon(json)
                #expect(response.status == .noContent, "\(json): \(response.body.string)")
                clock.advance(1)
            }
            let rejected: [(String, String)] = [
                (String(repeating: " ", count: 3_000) + "{}", "oversized"),
                (#"{"t":"scroll","p":"/p/debt-help","v":"v","d":110}"#, "invalid_scroll_depth"),
                (#"{"t":"time","p":"/p/debt-help","v":"v","s":-5}"#, "invalid_duration"),
                ("garbage", "malformed_json"),
                ("", "malformed_json"),
                (#"{"t":"jump","p":"/p/debt-help","v":"v"}"#, "unknown_type"),
                (#"{"t":"view","p":"/p/debt-help","v":"<script>"}"#, "invalid_field"),
                (#"{"t":"view","p":"/p/unknown","v":"v"}"#, "unknown_page"),
            ]
            for (json, code) in rejected {
                let response = try await setup.beacon(json)
                #expect(response.status == .badRequest, "\(code)")
                let body = try JSONSerialization.jsonObject(
                    with: Data(response.body.readableBytesView))
                let error = (body as? [String: Any])?["error"] as? [String: Any]
                #expect(error?["code"] as? String == code, "\(response.body.string)")
            }
            await app.engagement.flush()
            let events = try await setup.events()
            #expect(events.map(\.type) == [.pageView, .scroll, .timeOnPage])
            #expect(events.allSatisfy { $0.visitorID == "visitor-1" && $0.leadID == nil })
            #expect(events.allSatisfy { $0.page == "/p/debt-help" })
            #expect(events[1].scrollDepth == 75)
            #expect(events[2].seconds == 130)
        }
    }

    @Test("beacons share the pixel's per-address limit: past it they get 429 and record nothing")
    func beaconFlood() async throws {
        let limited: (inout AppConfig) -> Void = { $0.trackingEventsPerAddressPerMinute = 6 }
        try await withApp(clock: TestClock(Self.start), configuring: limited) { app, _ in
            let setup = try await Self.setup(app)
            let json = #"{"t":"view","p":"/p/debt-help","v":"visitor-9"}"#
            #expect(try await setup.beacon(json).status == .noContent)
            let flooded = try await setup.beacon(json)
            #expect(flooded.status == .tooManyRequests)
            #expect(flooded.body.string.contains(#""code":"rate_limited""#))
            await app.engagement.flush()
            #expect(try await setup.events().count == 1)
        }
    }

    @Test("the form creates the lead with consent, records the submission and ties earlier visits")
    func formSubmit() async throws {
        try await withApp(clock: TestClock(Self.start)) { app, clock in
            let setup = try await Self.setup(app)
            // Anonymous visit first.
            for json in [
                #"{"t":"view","p":"/p/debt-help","v":"visitor-2"}"#,
                #"{"t":"time","p":"/p/debt-help","v":"visitor-2","s":150}"#,
            ] {
                #expect(try await setup.beacon(json).status == .noContent)
                clock.advance(1)
            }
            let visitor = Browser(app)
            let page = try await visitor.get("/p/debt-help?utm_source=google&utm_medium=cpc")
            let token = try Self.formToken(page.body.string)

            // Bad input re-renders with every field's reason, writing nothing.
            let bad = try await visitor.post(
                "/p/debt-help",
                [("_form", token), ("first_name", ""), ("phone", "12"), ("zip", "1")],
                csrf: false)
            #expect(bad.status == .unprocessableEntity)
            for text in ["Enter your first name.", "Enter your last name.", "Tick the box"] {
                #expect(bad.body.string.contains(text), "\(text)")
            }
            let forged = try await visitor.post(
                "/p/debt-help",
                [
                    ("_form", "forged"), ("first_name", "Pat"), ("last_name", "Lee"),
                    ("phone", "2125550100"), ("consent", "yes"),
                ], csrf: false)
            #expect(forged.status == .unprocessableEntity)
            #expect(forged.body.string.contains("This form has expired"))
            #expect(try await Lead.query(in: setup.organization, on: app.db).count() == 0)

            let sent = try await visitor.post(
                "/p/debt-help",
                [
                    ("_form", token), ("first_name", "pat"), ("last_name", "lee"),
                    ("email", "Pat@Example.com"), ("phone", "(212) 555-0100"), ("zip", "10001"),
                    ("consent", "yes"), ("utm_source", "google"), ("utm_medium", "cpc"),
                    ("utm_campaign", ""), ("visitor_id", "visitor-2"),
                ], csrf: false)
            #expect(sent.status == .ok, "\(sent.body.string)")
            #expect(sent.body.string.contains("Thank you"))
            await app.engagement.flush()

            let lead = try #require(
                try await Lead.query(in: setup.organization, on: app.db).first())
            #expect(lead.firstName == "Pat")
            #expect(lead.primaryEmail == "pat@example.com")
            #expect(lead.primaryPhone == "+12125550100")
            #expect(lead.zip == "10001")
            #expect(lead.firstTouch.contains(#""utm_source":"google""#))
            #expect(lead.lastTouch.contains(#""landing_page":"\/p\/debt-help""#))
            let source = try await LeadSource.find(
                lead.sourceID, in: setup.organization, on: app.db)
            #expect(source?.name == "google")
            let consents = try await Consent.query(in: setup.organization, on: app.db).all()
            #expect(consents.count == 1)
            #expect(consents.first?.disclosureText == Self.consent)
            #expect(consents.first?.source == .webForm)
            #expect(consents.first?.sourceDetail == "http://localhost:8080/p/debt-help")
            #expect(consents.first?.userAgent == "")
            #expect(consents.first?.capturedAt == clock.now)

            // The earlier anonymous events now belong to the lead and count in its score:
            // page view 2 + 150 s read 4 + form 10 (the visit 2 s and 1 s before the form).
            let events = try await setup.events()
            #expect(events.map(\.type) == [.pageView, .timeOnPage, .formSubmit])
            #expect(events.allSatisfy { $0.leadID == lead.id })
            let stored = try #require(
                try await Lead.find(lead.id, in: setup.organization, on: app.db))
            #expect(abs(stored.heatScore - 16) < 1e-3)
            #expect(stored.heatScore < 16)
            let visitors = try await LandingVisitor.query(in: setup.organization, on: app.db).all()
            #expect(visitors.map(\.visitorID) == ["visitor-2"])

            // Later beacons of that visitor count for the lead.
            clock.advance(60)
            #expect(
                try await setup.beacon(
                    #"{"t":"scroll","p":"/p/debt-help","v":"visitor-2","d":100}"#
                )
                .status == .noContent)
            await app.engagement.flush()
            #expect(try await setup.events().last?.leadID == lead.id)

            // The same person again (same phone, new e-mail): no new lead; empty fields filled,
            // a second consent record (the first is never changed).
            let again = try await visitor.get("/p/debt-help")
            let second = try await visitor.post(
                "/p/debt-help",
                [
                    ("_form", try Self.formToken(again.body.string)), ("first_name", "Patricia"),
                    ("last_name", "Lee"), ("email", "other@example.com"),
                    ("phone", "2125550100"), ("consent", "yes"),
                ], csrf: false)
            #expect(second.status == .ok, "\(second.body.string)")
            await app.engagement.flush()
            let leads = try await Lead.query(in: setup.organization, on: app.db).all()
            #expect(leads.count == 1)
            #expect(leads.first?.firstName == "Pat")
            #expect(leads.first?.primaryEmail == "pat@example.com")
            #expect(try await Consent.query(in: setup.organization, on: app.db).count() == 2)
            let submits = try await setup.events().filter { $0.type == .formSubmit }
            #expect(submits.count == 2)
        }
    }

    @Test("a duplicate fills only the empty fields of the existing lead")
    func duplicateFillsEmptyFields() async throws {
        try await withApp(clock: TestClock(Self.start)) { app, _ in
            let setup = try await Self.setup(app, consent: "")
            let (api, _) = try await APIClient.signIn(app, "owner@acme.example")
            let created = try await api.call(
                .POST, "/api/v1/leads",
                json: #"{"first_name":"Sam","last_name":"Roe","phone":"3055550140"}"#)
            #expect(created.status == .created)
            let visitor = Browser(app)
            let page = try await visitor.get("/p/debt-help")
            #expect(!page.body.string.contains(#"name="consent""#))
            let sent = try await visitor.post(
                "/p/debt-help",
                [
                    ("_form", try Self.formToken(page.body.string)), ("first_name", "Samuel"),
                    ("last_name", "Roe"), ("email", "sam@example.com"), ("phone", "3055550140"),
                    ("zip", "33101"), ("utm_source", "facebook"),
                ], csrf: false)
            #expect(sent.status == .ok, "\(sent.body.string)")
            let leads = try await Lead.query(in: setup.organization, on: app.db).all()
            #expect(leads.count == 1)
            #expect(leads.first?.firstName == "Sam")
            #expect(leads.first?.primaryEmail == "sam@example.com")
            #expect(leads.first?.zip == "33101")
            #expect(leads.first?.lastTouch.contains(#""utm_source":"facebook""#) == true)
            #expect(try await Consent.query(in: setup.organization, on: app.db).count() == 0)
        }
    }

    @Test(
        "a tracked click leaves a signed cookie that ties the browser's later beacons to the lead")
    func clickCookie() async throws {
        try await withApp(clock: TestClock(Self.start)) { app, clock in
            let setup = try await Self.setup(app)
            let (api, _) = try await APIClient.signIn(app, "owner@acme.example")
            let created = try await api.call(
                .POST, "/api/v1/leads",
                json: #"{"first_name":"Kim","last_name":"Doe","phone":"2125550111"}"#)
            let leadText = try #require(try created.json()["id"] as? String)
            let lead = try #require(UUID(uuidString: leadText))
            let token = TrackingTokenSigner(keyRing: app.relief.keys).sign(
                TrackingToken(
                    kind: .click, organizationID: setup.organization, messageID: UUID(),
                    leadID: lead, sentAt: clock.now.addingTimeInterval(-3_600), linkCount: 1,
                    url: "http://localhost:8080/p/debt-help"))
            var setCookie = ""
            try await app.testing().test(
                .GET, "/t/c/\(token)", headers: ["User-Agent": Self.person]
            ) { response in
                #expect(response.status == .found)
                setCookie =
                    response.headers[.setCookie].first {
                        $0.hasPrefix(LandingSigner.cookieName + "=")
                    } ?? ""
            }
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Lax"))
            let pair = try #require(setCookie.split(separator: ";").first)
            let value = String(pair.dropFirst(LandingSigner.cookieName.count + 1))
            #expect(!value.isEmpty)
            let response = try await setup.beacon(
                #"{"t":"view","p":"/p/debt-help","v":"visitor-3"}"#,
                cookie: "\(LandingSigner.cookieName)=\(value)")
            #expect(response.status == .noContent)
            // A forged or changed cookie ties nothing.
            _ = try await setup.beacon(
                #"{"t":"view","p":"/p/debt-help","v":"visitor-4"}"#,
                cookie: "\(LandingSigner.cookieName)=\(value.dropLast(2))AA")
            await app.engagement.flush()
            let events = try await setup.events().filter { $0.type == .pageView }
            let byVisitor = Dictionary(
                uniqueKeysWithValues: events.map { ($0.visitorID ?? "", $0.leadID) })
            #expect(byVisitor == ["visitor-3": lead, "visitor-4": nil])
        }
    }
}
