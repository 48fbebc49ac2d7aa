import Foundation
import ReliefCore
import Testing

extension EngagementTests {
    @Suite("Heat score explanation")
    struct HeatScoreExplanationTests {
        let now = EngagementTests.at(10 * 86_400)

        /// An event `minutesAgo` before `now`.
        func event(
            _ type: EngagementEventType, _ minutesAgo: Double, page: String? = nil,
            url: String? = nil, depth: Int? = nil, seconds: Int? = nil, machine: Bool = false
        ) -> EngagementEvent {
            EngagementEvent(
                type: type, occurredAt: now.addingTimeInterval(-minutesAgo * 60),
                scrollDepth: depth, seconds: seconds, machine: machine, pageSlug: page, url: url)
        }

        func reason(_ events: [EngagementEvent]) -> String {
            HeatScoreExplanation(events: events, asOf: now).reason
        }

        @Test func theReasonSummarizesRecentActivity() {
            let events = [
                event(.open, 50), event(.open, 40), event(.open, 30),
                event(.pageView, 29, page: "/p/pricing"),
                event(.scroll, 28, page: "/p/pricing", depth: 75),
                event(.timeOnPage, 25, page: "/p/pricing", seconds: 250),
                event(.click, 20, url: "https://example.com/a"),
                event(.click, 19, url: "https://example.com/b"),
                event(.click, 18, url: "https://example.com/a"),
            ]

            #expect(
                reason(events) == "opened 3 times, read /p/pricing for 4 minutes, clicked 2 links")
        }

        @Test func theReasonLeavesOutMachineAndOldEvents() {
            let events = [
                event(.open, 10), event(.open, 5, machine: true), event(.click, 5, machine: true),
                event(.formSubmit, 25 * 60), event(.appointmentBooked, -5),
            ]

            #expect(reason(events) == "opened once")
        }

        @Test func theReasonWindowCanBeChanged() {
            let events = [event(.open, 10), event(.formSubmit, 25 * 60)]

            let explanation = HeatScoreExplanation(
                events: events, asOf: now, recentWindow: 2 * 86_400)

            #expect(explanation.reason == "opened once, submitted a form")
        }

        @Test func theReasonNamesEveryKindOfStepInFunnelOrder() {
            let events = [
                event(.unsubscribe, 1), event(.appointmentBooked, 2), event(.callAnswered, 3),
                event(.callAnswered, 4), event(.inboundReply, 5), event(.formSubmit, 6),
                event(.click, 7), event(.open, 8),
            ]

            #expect(
                reason(events)
                    == "opened once, clicked a link, submitted a form, replied, answered 2 calls, "
                    + "booked an appointment, unsubscribed")
        }

        @Test func theReasonCountsRepeats() {
            let events = [
                event(.formSubmit, 1), event(.formSubmit, 2), event(.inboundReply, 3),
                event(.inboundReply, 4), event(.appointmentBooked, 5),
                event(.appointmentBooked, 6), event(.click, 7), event(.click, 8),
            ]

            #expect(
                reason(events)
                    == "clicked 2 links, submitted 2 forms, replied 2 times, booked 2 appointments")
        }

        @Test func pagesAreListedLongestReadFirstThenCounted() {
            let events = [
                event(.pageView, 9, page: "/p/start"),
                event(.scroll, 8, page: "/p/faq", depth: 50),
                event(.timeOnPage, 7, page: "/p/faq", seconds: 30),
                event(.timeOnPage, 6, page: "/p/pricing", seconds: 100),
                event(.timeOnPage, 5, page: "/p/pricing", seconds: 100),
                event(.pageView, 4, page: "/p/contact"),
            ]

            #expect(
                reason(events)
                    == "read /p/pricing for 3 minutes, read /p/faq for 30 seconds, "
                    + "viewed 2 more pages")
        }

        @Test func aPageWithoutTimeIsScrolledOrViewed() {
            let events = [
                event(.scroll, 3, page: "/p/faq", depth: 50), event(.pageView, 4, page: "/p/start"),
            ]

            #expect(reason(events) == "scrolled /p/faq to 50%, viewed /p/start")
        }

        @Test(
            "read times are whole units, rounded down",
            arguments: [
                (1, "1 second"), (59, "59 seconds"), (60, "1 minute"), (119, "1 minute"),
                (3_599, "59 minutes"), (3_600, "1 hour"), (3_900, "1 hour 5 minutes"),
                (7_260, "2 hours 1 minute"),
            ])
        func readTimes(seconds: Int, text: String) {
            let events = [event(.timeOnPage, 1, page: "/p/x", seconds: seconds)]

            #expect(reason(events) == "read /p/x for \(text)")
        }

        @Test func nothingRecentSaysSo() {
            #expect(reason([]) == "no recent activity")
            #expect(reason([event(.open, 2 * 24 * 60)]) == "no recent activity")
        }

        @Test func contributionsAreTheLargestDecayedWeightsFirst() {
            let day = 24.0 * 60
            let events = [
                event(.appointmentBooked, 6 * day),  // 12 / 4 = 3
                event(.click, 0),  // 3, later than the booking
                event(.unsubscribe, 0),  // -5
                event(.formSubmit, 3 * day),  // 10 / 2 = 5, earlier than the unsubscribe
                event(.open, 10),
                event(.open, 5, machine: true),
                event(.scroll, 1, depth: 25),
            ]

            let explanation = HeatScoreExplanation(events: events, asOf: now, limit: 4)

            #expect(
                explanation.contributions.map(\.event.type) == [
                    .unsubscribe, .formSubmit, .click, .appointmentBooked,
                ])
            #expect(explanation.contributions.map(\.weight) == [-5, 10, 3, 12])
            #expect(explanation.contributions.map(\.decayedWeight) == [-5, 5, 3, 3])
        }

        @Test func theExplanationCarriesTheScore() {
            let events = [event(.formSubmit, 3 * 24 * 60), event(.click, 0)]

            let explanation = HeatScoreExplanation(events: events, asOf: now)

            #expect(explanation.asOf == now)
            #expect(explanation.score == HeatScore.rebuild(events: events, asOf: now).score)
            #expect(explanation.score == 8)
            #expect(explanation.contributions.count == 2)
        }

        @Test func aNegativeScoreIsExplainedAsZero() {
            let explanation = HeatScoreExplanation(events: [event(.unsubscribe, 1)], asOf: now)

            #expect(explanation.score == 0)
            #expect(explanation.contributions.map(\.event.type) == [.unsubscribe])
            #expect(explanation.reason == "unsubscribed")
        }
    }
}
