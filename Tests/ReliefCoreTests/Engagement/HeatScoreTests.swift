import Foundation
import ReliefCore
import Testing

extension EngagementTests {
    @Suite("Heat score")
    struct HeatScoreTests {
        let day: TimeInterval = 86_400

        func event(
            _ type: EngagementEventType, _ seconds: TimeInterval, depth: Int? = nil,
            time: Int? = nil, machine: Bool = false
        ) -> EngagementEvent {
            EngagementEvent(
                type: type, occurredAt: EngagementTests.at(seconds), scrollDepth: depth,
                seconds: time, machine: machine)
        }

        // MARK: - Weights

        @Test(
            "the default weights",
            arguments: [
                (EngagementEventType.open, 1.0), (.click, 3), (.pageView, 2), (.formSubmit, 10),
                (.inboundReply, 8), (.callAnswered, 6), (.appointmentBooked, 12),
                (.unsubscribe, -5),
            ])
        func defaultWeights(type: EngagementEventType, weight: Double) {
            #expect(HeatWeights.standard.weight(for: event(type, 0)) == weight)
        }

        @Test func machineEventsWeighNothing() {
            for type in EngagementEventType.allCases {
                let machine = event(type, 0, depth: 100, time: 600, machine: true)
                #expect(HeatWeights.standard.weight(for: machine) == 0)
            }
        }

        @Test func onlyScrollsToThreeQuartersCount() {
            let weights = HeatWeights.standard

            #expect(weights.weight(for: event(.scroll, 0, depth: 25)) == 0)
            #expect(weights.weight(for: event(.scroll, 0, depth: 50)) == 0)
            #expect(weights.weight(for: event(.scroll, 0, depth: 74)) == 0)
            #expect(weights.weight(for: event(.scroll, 0, depth: 75)) == 2)
            #expect(weights.weight(for: event(.scroll, 0, depth: 100)) == 2)
            #expect(weights.weight(for: event(.scroll, 0)) == 0)
        }

        @Test func onlyTwoMinutesOnAPageCount() {
            let weights = HeatWeights.standard

            #expect(weights.weight(for: event(.timeOnPage, 0, time: 30)) == 0)
            #expect(weights.weight(for: event(.timeOnPage, 0, time: 119)) == 0)
            #expect(weights.weight(for: event(.timeOnPage, 0, time: 120)) == 4)
            #expect(weights.weight(for: event(.timeOnPage, 0, time: 3_600)) == 4)
            #expect(weights.weight(for: event(.timeOnPage, 0)) == 0)
        }

        @Test func anOrganizationSetsItsOwnWeightsAndThresholds() {
            let weights = HeatWeights(
                open: 0.5, deepScroll: 5, longRead: 7, deepScrollDepth: 50,
                longReadSeconds: 60)

            #expect(weights.weight(for: event(.open, 0)) == 0.5)
            #expect(weights.weight(for: event(.scroll, 0, depth: 50)) == 5)
            #expect(weights.weight(for: event(.scroll, 0, depth: 25)) == 0)
            #expect(weights.weight(for: event(.timeOnPage, 0, time: 60)) == 7)
            #expect(weights.weight(for: event(.click, 0)) == 3)
        }

        @Test func aWeightThatIsNotFiniteCountsAsZero() {
            let weights = HeatWeights(open: .nan, click: .infinity)

            #expect(weights.weight(for: event(.open, 0)) == 0)
            #expect(weights.weight(for: event(.click, 0)) == 0)
        }

        // MARK: - Decay

        @Test func theScoreHalvesEveryHalfLife() {
            let state = HeatScoreState(score: 8, asOf: EngagementTests.start)

            #expect(state.decayed(to: EngagementTests.start) == 8)
            #expect(state.decayed(to: EngagementTests.at(3 * day)) == 4)
            #expect(state.decayed(to: EngagementTests.at(6 * day)) == 2)
            #expect(state.decayed(to: EngagementTests.at(9 * day)) == 1)
            #expect(
                EngagementTests.isClose(
                    state.decayed(to: EngagementTests.at(1.5 * day)), 8 / 2.0.squareRoot()))
        }

        @Test func theDefaultHalfLifeIsThreeDays() {
            #expect(HeatScore.defaultHalfLife == 259_200)
        }

        @Test func aShorterHalfLifeDecaysFaster() {
            let state = HeatScoreState(score: 10, asOf: EngagementTests.start)

            #expect(state.decayed(to: EngagementTests.at(3_600), halfLife: 3_600) == 5)
            #expect(state.decayed(to: EngagementTests.at(7_200), halfLife: 3_600) == 2.5)
        }

        @Test func readingBeforeTheStateNeverGrowsTheScore() {
            let state = HeatScoreState(score: 6, asOf: EngagementTests.at(day))

            #expect(state.decayed(to: EngagementTests.start) == 6)
            #expect(state.decayed(to: .distantPast) == 6)
        }

        @Test func aScoreBelowZeroReadsAsZero() {
            let state = HeatScoreState.empty.adding(event(.unsubscribe, 0))
                .adding(event(.open, 60))

            #expect(state.score == -5 * exp2(-60 / HeatScore.defaultHalfLife) + 1)
            #expect(state.decayed(to: EngagementTests.at(60)) == 0)
            #expect(state.decayed(to: EngagementTests.at(30 * day)) == 0)
        }

        // MARK: - Adding events

        @Test func anEventDecaysTheScoreToItsInstantThenAddsItsWeight() {
            let state = HeatScoreState(score: 8, asOf: EngagementTests.start)
                .adding(weight: 3, at: EngagementTests.at(3 * day))

            #expect(state == HeatScoreState(score: 7, asOf: EngagementTests.at(3 * day)))
        }

        @Test func aLateEventAddsItsWeightDecayedToTheState() {
            let state = HeatScoreState(score: 8, asOf: EngagementTests.at(3 * day))
                .adding(weight: 4, at: EngagementTests.start)

            #expect(state == HeatScoreState(score: 10, asOf: EngagementTests.at(3 * day)))
        }

        @Test func anEventThatWeighsNothingLeavesTheStateAlone() {
            let state = HeatScoreState(score: 8, asOf: EngagementTests.start)

            #expect(state.adding(event(.scroll, day, depth: 50)) == state)
            #expect(state.adding(event(.click, day, machine: true)) == state)
        }

        @Test func theFirstEventStartsFromNothing() {
            let state = HeatScoreState.empty.adding(event(.formSubmit, 0))

            #expect(state == HeatScoreState(score: 10, asOf: EngagementTests.start))
        }

        // MARK: - Rebuild

        @Test func aRebuildWithoutEventsIsZero() {
            let state = HeatScore.rebuild(events: [], asOf: EngagementTests.start)

            #expect(state == HeatScoreState(score: 0, asOf: EngagementTests.start))
        }

        @Test func aRebuildSumsDecayedWeights() {
            let events = [event(.click, 0), event(.formSubmit, 3 * day), event(.open, 6 * day)]

            let state = HeatScore.rebuild(events: events, asOf: EngagementTests.at(6 * day))

            #expect(state.asOf == EngagementTests.at(6 * day))
            #expect(EngagementTests.isClose(state.score, 3 / 4.0 + 10 / 2.0 + 1))
        }

        @Test func aRebuildLeavesOutEventsAfterItsInstant() {
            let events = [event(.click, 0), event(.appointmentBooked, day)]

            let state = HeatScore.rebuild(events: events, asOf: EngagementTests.at(day / 2))

            #expect(state.score == 3 * exp2(-0.5 / 3))
        }

        @Test("a rebuild gives the numbers of adding the events one by one", arguments: 1...5)
        func rebuildEqualsIncremental(seed: UInt64) {
            var random = SeededRandom(seed: seed)
            let types = EngagementEventType.allCases
            let events = (0..<1_000).map { _ in
                event(
                    random.pick(types), Double(random.int(in: 0...(30 * 86_400))),
                    depth: random.pick([25, 50, 75, 100]), time: random.int(in: 0...600),
                    machine: random.chance(0.2))
            }
            let asOf = EngagementTests.at(31 * day)
            let halfLife = Double(random.int(in: 3_600...(7 * 86_400)))

            let rebuilt = HeatScore.rebuild(events: events, halfLife: halfLife, asOf: asOf)
            var inOrder = HeatScoreState.empty
            for event in events.sorted(by: { $0.occurredAt < $1.occurredAt }) {
                inOrder = inOrder.adding(event, halfLife: halfLife)
            }
            var asArrived = HeatScoreState.empty
            for event in events {
                asArrived = asArrived.adding(event, halfLife: halfLife)
            }

            #expect(rebuilt.asOf == asOf)
            #expect(rebuilt.score == inOrder.decayed(to: asOf, halfLife: halfLife))
            #expect(
                EngagementTests.isClose(
                    rebuilt.score,
                    asArrived.score * exp2(-asOf.timeIntervalSince(asArrived.asOf) / halfLife)))
            #expect(rebuilt.score > 0)
        }

        @Test func aRebuildFromAStoredStateContinuesLikeTheWholeHistory() {
            var random = SeededRandom(seed: 42)
            let events = (0..<200).map { index in
                event(random.pick(EngagementEventType.allCases), Double(index) * 3_000)
            }
            let middle = EngagementTests.at(100 * 3_000)
            let end = EngagementTests.at(200 * 3_000)

            var stored = HeatScore.rebuild(events: events, asOf: middle)
            for event in events where event.occurredAt > middle {
                stored = stored.adding(event)
            }
            let whole = HeatScore.rebuild(events: events, asOf: end)

            #expect(
                EngagementTests.isClose(
                    stored.decayed(to: end), whole.decayed(to: end)))
        }
    }
}
