import Foundation

/// Why a lead is as warm as it is: the events that weigh most now, and a one-line summary of
/// what the person did recently ("opened 3 times, read /p/pricing for 4 minutes, clicked 2
/// links") for the call list and the lead page.
public struct HeatScoreExplanation: Sendable, Equatable {
    /// One event's share of the score.
    public struct Contribution: Sendable, Equatable {
        public var event: EngagementEvent
        /// The weight when it happened.
        public var weight: Double
        /// What is left of the weight at ``HeatScoreExplanation/asOf``.
        public var decayedWeight: Double

        public init(event: EngagementEvent, weight: Double, decayedWeight: Double) {
            self.event = event
            self.weight = weight
            self.decayedWeight = decayedWeight
        }
    }

    /// The score at ``asOf`` (at least 0), as ``HeatScore/rebuild(events:weights:halfLife:asOf:)``
    /// gives it.
    public var score: Double
    public var asOf: Date
    /// The events that weigh most at ``asOf``, largest absolute decayed weight first (a later
    /// event first on a tie); events that weigh nothing are left out.
    public var contributions: [Contribution]
    /// What the person did in the recent window, or "no recent activity".
    public var reason: String

    /// Explains the score of `events` at `asOf`. `limit` caps ``contributions``; the reason reads
    /// the non-machine events from `recentWindow` (24 hours by default) before `asOf` up to
    /// `asOf`, including events that weigh nothing (a short visit is still a visit).
    public init(
        events: [EngagementEvent],
        weights: HeatWeights = .standard,
        halfLife: TimeInterval = HeatScore.defaultHalfLife,
        asOf: Date,
        limit: Int = 5,
        recentWindow: TimeInterval = 86_400
    ) {
        let past = events.filter { $0.occurredAt <= asOf }
        let state = HeatScore.rebuild(
            events: past, weights: weights, halfLife: halfLife, asOf: asOf)
        score = state.decayed(to: asOf, halfLife: halfLife)
        self.asOf = asOf
        let weighed = past.lazy.compactMap { event -> Contribution? in
            let weight = weights.weight(for: event)
            guard weight != 0 else { return nil }
            let decay = HeatScore.decayFactor(
                asOf.timeIntervalSince(event.occurredAt), halfLife: halfLife)
            return Contribution(event: event, weight: weight, decayedWeight: weight * decay)
        }
        contributions = firstElements(limit, of: weighed) { left, right in
            let (leftSize, rightSize) = (abs(left.decayedWeight), abs(right.decayedWeight))
            if leftSize != rightSize { return leftSize > rightSize }
            return left.event.occurredAt > right.event.occurredAt
        }
        let start = asOf.addingTimeInterval(-recentWindow)
        reason = Self.summary(of: past.filter { !$0.machine && $0.occurredAt >= start })
    }

    /// The one-line summary of `events`: opens, landing pages, clicks, forms, replies, answered
    /// calls, appointments and unsubscribes, in that order, each only when it happened.
    private static func summary(of events: [EngagementEvent]) -> String {
        var counts: [EngagementEventType: Int] = [:]
        for event in events {
            counts[event.type, default: 0] += 1
        }
        var clickedLinks = Set<String>()
        var unnamedClicks = 0
        for event in events where event.type == .click {
            if let url = event.url { clickedLinks.insert(url) } else { unnamedClicks += 1 }
        }
        var phrases: [String] = []
        if let opens = counts[.open] {
            phrases.append(opens == 1 ? "opened once" : "opened \(opens) times")
        }
        phrases += pagePhrases(events)
        let links = clickedLinks.count + unnamedClicks
        if links > 0 { phrases.append(links == 1 ? "clicked a link" : "clicked \(links) links") }
        let tallies: [(EngagementEventType, String, (Int) -> String)] = [
            (.formSubmit, "submitted a form", { "submitted \($0) forms" }),
            (.inboundReply, "replied", { "replied \($0) times" }),
            (.callAnswered, "answered a call", { "answered \($0) calls" }),
            (.appointmentBooked, "booked an appointment", { "booked \($0) appointments" }),
            (.unsubscribe, "unsubscribed", { _ in "unsubscribed" }),
        ]
        for (type, once, times) in tallies {
            guard let count = counts[type] else { continue }
            phrases.append(count == 1 ? once : times(count))
        }
        return phrases.isEmpty ? "no recent activity" : phrases.joined(separator: ", ")
    }

    /// What happened on each landing page, the pages read longest first: "read /p/pricing for 4
    /// minutes", "scrolled /p/faq to 50%", "viewed /p/start"; after two pages, "viewed N more
    /// pages".
    private static func pagePhrases(_ events: [EngagementEvent]) -> [String] {
        struct Page {
            var slug: String
            var seconds = 0
            var depth = 0
        }
        var pages: [String: Page] = [:]
        for event in events {
            switch event.type {
            case .pageView, .scroll, .timeOnPage: break
            default: continue
            }
            let slug = event.pageSlug ?? "a page"
            var page = pages[slug] ?? Page(slug: slug)
            page.seconds += max(0, event.seconds ?? 0)
            page.depth = max(page.depth, event.scrollDepth ?? 0)
            pages[slug] = page
        }
        let ordered = pages.values.sorted {
            ($1.seconds, $1.depth, $0.slug) < ($0.seconds, $0.depth, $1.slug)
        }
        var phrases = ordered.prefix(2).map { page in
            if page.seconds > 0 { return "read \(page.slug) for \(duration(page.seconds))" }
            if page.depth > 0 { return "scrolled \(page.slug) to \(page.depth)%" }
            return "viewed \(page.slug)"
        }
        let more = ordered.count - phrases.count
        if more > 0 {
            phrases.append(more == 1 ? "viewed 1 more page" : "viewed \(more) more pages")
        }
        return phrases
    }

    /// "45 seconds", "1 minute", "4 minutes", "1 hour", "2 hours 5 minutes" (whole units,
    /// rounded down).
    private static func duration(_ seconds: Int) -> String {
        func unit(_ count: Int, _ name: String) -> String {
            count == 1 ? "1 \(name)" : "\(count) \(name)s"
        }
        if seconds < 60 { return unit(seconds, "second") }
        if seconds < 3_600 { return unit(seconds / 60, "minute") }
        let minutes = seconds % 3_600 / 60
        return unit(seconds / 3_600, "hour") + (minutes > 0 ? " " + unit(minutes, "minute") : "")
    }
}
