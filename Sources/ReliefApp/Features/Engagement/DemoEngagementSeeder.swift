import Fluent
import Foundation
import ReliefCore
import Vapor

/// Three weeks of engagement for the demo organization's open leads, so the call list, heat
/// scores and the lead page's explanation look alive: e-mail opens (a tenth of them by Apple's
/// and Google's proxies, marked machine), clicks, visits to a published landing page with scroll
/// depth and time on page, and a few form submissions, weighted towards the last days; then every
/// score is rebuilt from those events.
enum DemoEngagementSeeder {
    static let pageSlug = "debt-relief-options"

    static func seed(_ app: Application, organization: Organization) async throws {
        let organizationID = try organization.requireID
        let now = app.relief.now()
        var random = SeededRandom(seed: 6_606)
        let page = LandingPage(organizationID: organizationID, now: now)
        page.slug = pageSlug
        page.title = "Find out what you could save"
        page.body = """
            # Find out what you could save

            Behind on credit cards or medical bills? A debt relief program can settle what you owe \
            for less, in one monthly deposit.

            - **No upfront fees**: you pay only when a debt is settled.
            - Most programs finish in **24 to 48 months**.
            - Talk to a certified debt specialist today.
            """
        page.hasForm = true
        page.consentText =
            "By submitting, I agree that \(organization.displayName) may call and text me at the number above, including by automated means, about debt relief. Consent is not a condition of purchase."
        page.isPublished = true
        page.publishedAt = now
        try await page.create(on: app.db)

        let leads = try await Lead.query(in: organizationID, on: app.db)
            .filter(\.$status ~~ [.new, .contacted, .qualified]).sort(\.$createdAt).all()
        let path = "/p/\(pageSlug)"
        let human =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
        let proxy =
            "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
        var events: [NewEngagementEvent] = []
        for lead in leads {
            guard random.chance(0.45), let leadID = lead.id else { continue }
            // Engaged leads get one to four messages over the last three weeks, recent ones more.
            for _ in 0..<random.int(in: 1...4) {
                let daysAgo = pow(random.unit(), 2) * 21
                let sent = now.addingTimeInterval(-daysAgo * 86_400)
                let message = UUID().uuidString
                func event(
                    _ type: EngagementEventType, after seconds: Double,
                    machine: [MachineActivityReason] = [],
                    url: String? = nil, page: String? = nil, depth: Int? = nil, duration: Int? = nil
                ) {
                    let at = sent.addingTimeInterval(seconds)
                    guard at < now else { return }
                    events.append(
                        NewEngagementEvent(
                            organizationID: organizationID, leadID: leadID,
                            event: EngagementEvent(
                                type: type, occurredAt: at, scrollDepth: depth, seconds: duration,
                                machine: !machine.isEmpty, messageID: message, pageSlug: page,
                                url: url),
                            userAgent: machine.isEmpty ? human : proxy, reasons: machine))
                }
                if random.chance(0.1) {
                    event(.open, after: 1, machine: [.imageProxy])
                }
                guard random.chance(0.7) else { continue }
                let opened = Double(random.int(in: 600...30_000))
                event(.open, after: opened)
                if random.chance(0.3) {
                    event(.open, after: opened + Double(random.int(in: 3_600...90_000)))
                }
                guard random.chance(0.4) else { continue }
                let clicked = opened + Double(random.int(in: 20...600))
                event(.click, after: clicked, url: "https://summit-demo.example\(path)")
                event(.pageView, after: clicked + 2, page: path)
                for depth in [25, 50, 75, 100] where random.chance(depth <= 50 ? 0.8 : 0.45) {
                    event(.scroll, after: clicked + Double(depth), page: path, depth: depth)
                }
                event(
                    .timeOnPage, after: clicked + 300, page: path,
                    duration: random.int(in: 15...420))
                if random.chance(0.08) { event(.formSubmit, after: clicked + 320, page: path) }
            }
        }
        for chunk in events.chunked(into: 5_000) {
            try await app.db.insertInGroups(Array(chunk), now: now)
        }
        _ = try await app.db.transaction { database in
            try await HeatScores(database: database, now: now).rebuild(
                organizationID: organizationID)
        }
    }
}
