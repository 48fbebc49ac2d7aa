import Fluent
import Foundation
import NIOConcurrencyHelpers
import ReliefCore
import Testing
import Vapor
import VaporTesting

@testable import ReliefApp

/// The open pixel and click redirects against a real database: signed tokens, machine
/// activity, batched writes, heat scores kept event by event and rebuilt from history, hot lead
/// alerts, and bad input.
@Suite("Tracking")
struct TrackingTests {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)
    static let person = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/133.0"

    struct Setup {
        var app: Application
        var organization: UUID
        var lead: UUID
        var owner: UUID
        var signer: TrackingTokenSigner

        func token(
            _ kind: TrackedRequest.Kind, message: UUID = UUID(), sentAt: Date, links: Int = 1,
            url: String? = nil
        ) -> String {
            signer.sign(
                TrackingToken(
                    kind: kind, organizationID: organization, messageID: message, leadID: lead,
                    sentAt: sentAt, linkCount: links, url: url))
        }

        func get(
            _ path: String, method: HTTPMethod = .GET, userAgent: String = TrackingTests.person
        ) async throws -> TestingHTTPResponse {
            var captured: TestingHTTPResponse?
            try await app.testing().test(method, path, headers: ["User-Agent": userAgent]) {
                captured = $0
            }
            return try #require(captured)
        }

        func events() async throws -> [EngagementEventRecord] {
            try await EngagementEventRecord.query(in: organization, on: app.db)
                .sort(\.$occurredAt).all()
        }

        func lead() async throws -> Lead {
            try #require(try await Lead.find(self.lead, in: organization, on: app.db))
        }
    }

    static func setup(_ app: Application) async throws -> Setup {
        let fixture = try await Fixture.make(app, slug: "acme")
        let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
        let response = try await api.call(
            .POST, "/api/v1/leads",
            json: #"{"first_name":"Pat","last_name":"Lee","phone":"2125550100","zip":"10001"}"#)
        #expect(response.status == .created, "\(response.body.string)")
        let text = try #require(try response.json()["id"] as? String)
        let lead = try #require(UUID(uuidString: text))
        let organization = try fixture.organization.requireID()
        let owner = try fixture.owner.requireID()
        let stored = try #require(try await Lead.find(lead, in: organization, on: app.db))
        stored.ownerID = owner
        try await stored.save(on: app.db)
        return Setup(
            app: app, organization: organization, lead: lead, owner: owner,
            signer: TrackingTokenSigner(keyRing: app.relief.keys))
    }

    @Test("the pixel answers a no-cache GIF, records the open once written, and warms the lead")
    func pixel() async throws {
        try await withApp(clock: TestClock(Self.start)) { app, clock in
            let setup = try await Self.setup(app)
            let sent = clock.now.addingTimeInterval(-3_600)
            let response = try await setup.get("/t/o/\(setup.token(.open, sentAt: sent)).gif")
            #expect(response.status == .ok)
            #expect(response.headers.contentType == HTTPMediaType(type: "image", subType: "gif"))
            #expect(Array(response.body.readableBytesView) == TrackingController.pixel)
            #expect(response.headers.first(name: .cacheControl)?.contains("no-store") == true)
            // Acknowledged, buffered, written by the next flush.
            #expect(app.engagement.pendingCount == 1)
            await app.engagement.flush()
            let events = try await setup.events()
            #expect(events.count == 1)
            #expect(events.first?.type == .open)
            #expect(events.first?.leadID == setup.lead)
            #expect(events.first?.machine == false)
            #expect(
                events.first?.ipSealed == nil || events.first?.ipSealed?.hasPrefix("v1.") == true)
            let lead = try await setup.lead()
            #expect(lead.heatScore == 1)
            #expect(lead.heatAsOf == clock.now)
            #expect(lead.heatRank != nil)
            // Static files are still served; the pixel path never touches the file system.
            #expect(try await setup.get("/css/app.css").status == .ok)
            #expect(try await setup.get("/favicon.svg").status == .ok)
        }
    }

    @Test("image proxies, opens right after delivery and garbage tokens never warm a lead")
    func machineOpens() async throws {
        try await withApp(clock: TestClock(Self.start)) { app, clock in
            let setup = try await Self.setup(app)
            let sent = clock.now.addingTimeInterval(-3_600)
            let proxy =
                "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
            _ = try await setup.get(
                "/t/o/\(setup.token(.open, sentAt: sent)).gif", userAgent: proxy)
            clock.advance(1)
            _ = try await setup.get("/t/o/\(setup.token(.open, sentAt: clock.now)).gif")
            for garbage in [
                "x.gif", "\(setup.token(.open, sentAt: sent))", "AAAA.gif",
                String(repeating: "A", count: 9_000) + ".gif",
            ] {
                let response = try await setup.get("/t/o/\(garbage)")
                #expect(response.status == .ok, "\(garbage.prefix(20))")
                #expect(Array(response.body.readableBytesView) == TrackingController.pixel)
            }
            // A click token is not an open token.
            let click = setup.token(.click, sentAt: sent, url: "https://example.com/")
            _ = try await setup.get("/t/o/\(click).gif")
            await app.engagement.flush()
            let events = try await setup.events()
            #expect(events.map(\.machine) == [true, true])
            #expect(events.map(\.reasons) == [[.imageProxy], [.openTooSoon]])
            #expect(try await setup.lead().heatScore == 0)
        }
    }

    @Test("a click redirects to the signed URL; a changed token gets a 400 page and no redirect")
    func clicks() async throws {
        try await withApp(clock: TestClock(Self.start)) { app, clock in
            let setup = try await Self.setup(app)
            let sent = clock.now.addingTimeInterval(-3_600)
            let token = setup.token(.click, sentAt: sent, url: "https://example.com/pricing?a=1")
            let response = try await setup.get("/t/c/\(token)")
            #expect(response.status == .found)
            #expect(response.headers.first(name: .location) == "https://example.com/pricing?a=1")
            // Every byte of the token is covered by the signature.
            var bytes = Array(token.utf8)
            bytes[bytes.count / 2] =
                bytes[bytes.count / 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            for bad in [
                String(decoding: bytes, as: UTF8.self), "", "nonsense",
                setup.token(.open, sentAt: sent),
            ] {
                let refused = try await setup.get("/t/c/\(bad)")
                #expect(refused.status == (bad.isEmpty ? .notFound : .badRequest))
                #expect(refused.headers.first(name: .location) == nil)
            }
            // A HEAD request (a link scanner) still redirects but is a machine's click.
            clock.advance(60)
            let head = try await setup.get("/t/c/\(token)", method: .HEAD)
            #expect(head.status == .found)
            await app.engagement.flush()
            let events = try await setup.events()
            #expect(events.map(\.type) == [.click, .click])
            #expect(events.map(\.machine) == [false, true])
            #expect(events.last?.reasons.contains(.headRequest) == true)
            #expect(events.first?.url == "https://example.com/pricing?a=1")
            #expect(try await setup.lead().heatScore == 3)
        }
    }

    @Test("every link of a message clicked at once flags all those clicks and rebuilds the score")
    func scannerBurst() async throws {
        try await withApp(clock: TestClock(Self.start)) { app, clock in
            let setup = try await Self.setup(app)
            let sent = clock.now.addingTimeInterval(-3_600)
            let message = UUID()
            for url in ["https://example.com/a", "https://example.com/b"] {
                let token = setup.token(.click, message: message, sentAt: sent, links: 2, url: url)
                _ = try await setup.get("/t/c/\(token)")
                await app.engagement.flush()
                clock.advance(1)
            }
            let events = try await setup.events()
            #expect(events.map(\.machine) == [true, true])
            #expect(events.allSatisfy { $0.reasons.contains(.allLinksClicked) })
            #expect(try await setup.lead().heatScore == 0)
        }
    }

    @Test(
        "scores kept event by event equal the rebuild from history; crossing the threshold alerts the owner"
    )
    func scoresAndAlerts() async throws {
        try await withApp(clock: TestClock(Self.start)) { app, clock in
            let setup = try await Self.setup(app)
            let alerts = NIOLockedValueBox<[LiveEvent]>([])
            _ = app.live.subscribe(topics: ["user:\(setup.owner.uuidString)"]) { event in
                alerts.withLockedValue { $0.append(event) }
            }
            let sent = clock.now.addingTimeInterval(-3_600)
            for index in 0..<6 {
                let message = UUID()
                _ = try await setup.get(
                    "/t/o/\(setup.token(.open, message: message, sentAt: sent)).gif")
                clock.advance(Double(index) * 7_200)
                let token = setup.token(
                    .click, message: message, sentAt: sent, url: "https://example.com/\(index)")
                _ = try await setup.get("/t/c/\(token)")
                await app.engagement.flush()
                clock.advance(3_600)
            }
            let kept = try await setup.lead()
            let keptState = HeatScoreState(score: kept.heatScore, asOf: try #require(kept.heatAsOf))
            let now = clock.now
            let written = try await HeatScores(database: app.db, now: now)
                .rebuild(organizationID: setup.organization)
            #expect(written == 1)
            let rebuilt = try await setup.lead()
            let rebuiltState = HeatScoreState(
                score: rebuilt.heatScore, asOf: try #require(rebuilt.heatAsOf))
            let halfLife = EngagementSettings.Values.standard.halfLife
            let (a, b) = (
                keptState.decayed(to: now, halfLife: halfLife),
                rebuiltState.decayed(to: now, halfLife: halfLife)
            )
            #expect(a > 10)
            #expect(abs(a - b) <= 1e-9 * a, "kept \(a), rebuilt \(b)")
            // The hot lead alert: once, to the owner, with the reason; and on the timeline.
            let received = alerts.withLockedValue { $0 }.filter { $0.type == "lead.hot" }
            #expect(received.count == 1)
            #expect(received.first?.data["lead_id"] == setup.lead.uuidString)
            #expect(received.first?.data["reason"]?.contains("opened") == true)
            let timeline = try await Activity.query(in: setup.organization, on: app.db)
                .filter(\.$leadID == setup.lead).filter(\.$kind == .engagement).all()
            #expect(timeline.count == 1)
            #expect(timeline.first?.summary.hasPrefix("Hot lead: ") == true)
            let explanation = try await HeatExplanations(database: app.db)
                .explain(lead: setup.lead, in: setup.organization, at: now)
            #expect(abs(explanation.score - a) <= 1e-9 * a)
            #expect(explanation.contributions.first?.event.type == .click)
            // The lead page explains the score.
            let browser = Browser(app)
            try await browser.signIn("owner@acme.example")
            let page = try await browser.get("/app/leads/\(setup.lead.uuidString)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("data-engagement-panel"))
            #expect(page.body.string.contains(String(format: "%.1f", a)))
            #expect(page.body.string.contains("Clicked example.com/5"))
            #expect(page.body.string.contains(explanation.reason))
        }
    }

    @Test("a flood from one address is answered but not recorded; a stop writes what was buffered")
    func floodAndStop() async throws {
        let sixPerMinute: (inout AppConfig) -> Void = { $0.trackingEventsPerAddressPerMinute = 6 }
        try await withApp(clock: TestClock(Self.start), configuring: sixPerMinute) { app, clock in
            let setup = try await Self.setup(app)
            let sent = clock.now.addingTimeInterval(-3_600)
            for _ in 0..<20 {
                let response = try await setup.get("/t/o/\(setup.token(.open, sentAt: sent)).gif")
                #expect(response.status == .ok)
                #expect(Array(response.body.readableBytesView) == TrackingController.pixel)
            }
            #expect(app.engagement.pendingCount == 1)
            await app.engagement.stop()
            #expect(app.engagement.pendingCount == 0)
            #expect(try await setup.events().count == 1)
        }
    }

    @Test("tokens: round trip, tampering, old master keys, only web URLs")
    func tokens() throws {
        let old = KeyRing(masterKey: Array(repeating: 1, count: 32))
        let rotated = KeyRing(
            masterKey: Array(repeating: 2, count: 32),
            previousMasterKeys: [Array(repeating: 1, count: 32)])
        let token = TrackingToken(
            kind: .click, organizationID: UUID(), messageID: UUID(), leadID: UUID(),
            sentAt: Date(timeIntervalSince1970: 1_795_000_000), linkCount: 4,
            url: "https://example.com/é?x=1#top")
        let signed = TrackingTokenSigner(keyRing: old).sign(token)
        #expect(TrackingTokenSigner(keyRing: old).verify(signed) == token)
        #expect(TrackingTokenSigner(keyRing: rotated).verify(signed) == token)
        #expect(
            TrackingTokenSigner(keyRing: KeyRing(masterKey: Array(repeating: 3, count: 32))).verify(
                signed) == nil)
        for url in ["javascript:alert(1)", "//evil.example/", "ftp://example.com/", "https://"] {
            var bad = token
            bad.url = url
            #expect(
                TrackingTokenSigner(keyRing: old).verify(
                    TrackingTokenSigner(keyRing: old).sign(bad)) == nil, "\(url)")
        }
        #expect(TrackingTokenSigner(keyRing: old).verify(String(signed.dropLast())) == nil)
    }
}

@Suite("Engagement settings")
struct EngagementSettingsTests {
    @Test("owners change the weights (checked, audited), agents cannot, new events use them")
    func settings() async throws {
        try await withApp(clock: TestClock(TrackingTests.start)) { app, clock in
            let setup = try await TrackingTests.setup(app)
            let (owner, _) = try await APIClient.signIn(app, "owner@acme.example")
            let (agent, _) = try await APIClient.signIn(app, "agent@acme.example")
            let standard = try await owner.call(.GET, "/api/v1/engagement/settings")
            #expect(standard.status == .ok)
            #expect(try standard.json()["half_life_hours"] as? Double == 72)
            let body =
                #"{"half_life_hours":24,"hot_threshold":5,"weights":{"open":2.5},"deep_scroll_depth":50,"long_read_seconds":60}"#
            #expect(
                try await agent.call(.PUT, "/api/v1/engagement/settings", json: body).status
                    == .forbidden)
            let bad = try await owner.call(
                .PUT, "/api/v1/engagement/settings",
                json:
                    #"{"half_life_hours":0,"hot_threshold":5,"weights":{"opens":1,"click":500},"deep_scroll_depth":60,"long_read_seconds":60}"#
            )
            #expect(bad.status == .unprocessableEntity)
            for field in [
                "half_life_hours", "weights.opens", "weights.click", "deep_scroll_depth",
            ] {
                #expect(bad.body.string.contains(field), "\(field)")
            }
            let changed = try await owner.call(.PUT, "/api/v1/engagement/settings", json: body)
            #expect(changed.status == .ok, "\(changed.body.string)")
            let weights = try #require(try changed.json()["weights"] as? [String: Double])
            #expect(weights["open"] == 2.5)
            #expect(weights["click"] == 3)
            let audit = try await AuditEvent.query(in: setup.organization, on: app.db)
                .filter(\.$action == "engagement.settings_changed").count()
            #expect(audit == 1)
            let sent = clock.now.addingTimeInterval(-3_600)
            _ = try await setup.get("/t/o/\(setup.token(.open, sentAt: sent)).gif")
            await app.engagement.flush()
            #expect(try await setup.lead().heatScore == 2.5)
        }
    }
}
