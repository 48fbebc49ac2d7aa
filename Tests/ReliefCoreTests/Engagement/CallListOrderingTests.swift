import Foundation
import ReliefCore
import Testing

extension EngagementTests {
    @Suite("Call list ordering")
    struct CallListOrderingTests {
        let now = EngagementTests.at(30 * 86_400)
        var ordering: CallListOrdering { CallListOrdering(now: now) }

        /// A lead with id number `id` whose heat is `heat` now, unless told otherwise.
        func lead(
            _ id: UInt8, heat: Double = 0, probability: Double? = nil,
            contactedDaysAgo: Double? = nil, ageDays: Double = 10
        ) -> CallListCandidate {
            CallListCandidate(
                leadID: uuid(id), heat: HeatScoreState(score: heat, asOf: now),
                enrollmentProbability: probability,
                lastContactedAt: contactedDaysAgo.map { now.addingTimeInterval(-$0 * 86_400) },
                createdAt: now.addingTimeInterval(-ageDays * 86_400))
        }

        func uuid(_ last: UInt8, first: UInt8 = 0) -> UUID {
            UUID(uuid: (first, 0, 0, 0, 0, 0, 0x70, 0, 0x80, 0, 0, 0, 0, 0, 0, last))
        }

        func ids(_ candidates: [CallListCandidate]) -> [UUID] {
            candidates.map(\.leadID)
        }

        @Test func hotterLeadsComeFirst() {
            let leads = [lead(1, heat: 2), lead(2, heat: 9), lead(3, heat: 5)]

            #expect(ids(ordering.sorted(leads)) == [uuid(2), uuid(3), uuid(1)])
        }

        @Test func heatIsComparedDecayedToNow() {
            // 10 points three days ago is 5 now; 6 points now beats it.
            let older = CallListCandidate(
                leadID: uuid(1), heat: HeatScoreState(score: 10, asOf: now - 3 * 86_400),
                enrollmentProbability: 0.9, lastContactedAt: nil, createdAt: now - 86_400)
            let fresher = lead(2, heat: 6)

            #expect(ids(ordering.sorted([older, fresher])) == [uuid(2), uuid(1)])
            #expect(ordering.precedes(fresher, older))
            #expect(!ordering.precedes(older, fresher))
        }

        @Test func aNegativeHeatTiesWithZero() {
            let cold = lead(1, heat: -4, probability: 0.2)
            let warm = lead(2, heat: 0, probability: 0.1)

            #expect(ids(ordering.sorted([warm, cold])) == [uuid(1), uuid(2)])
        }

        @Test func equalHeatGoesToTheLikelierEnrollment() {
            let leads = [
                lead(1, heat: 3, probability: nil), lead(2, heat: 3, probability: 0.2),
                lead(3, heat: 3, probability: 0.7), lead(4, heat: 3, probability: 0),
                lead(5, heat: 3, probability: .nan),
            ]

            #expect(ids(ordering.sorted(leads)) == [uuid(3), uuid(2), uuid(4), uuid(1), uuid(5)])
        }

        @Test func thenTheLongestWithoutContactNeverContactedFirst() {
            let leads = [
                lead(1, heat: 3, probability: 0.5, contactedDaysAgo: 1),
                lead(2, heat: 3, probability: 0.5, contactedDaysAgo: nil),
                lead(3, heat: 3, probability: 0.5, contactedDaysAgo: 7),
            ]

            #expect(ids(ordering.sorted(leads)) == [uuid(2), uuid(3), uuid(1)])
        }

        @Test func thenTheOldestLead() {
            let leads = [
                lead(1, contactedDaysAgo: 2, ageDays: 3), lead(2, contactedDaysAgo: 2, ageDays: 9),
                lead(3, contactedDaysAgo: 2, ageDays: 5),
            ]

            #expect(ids(ordering.sorted(leads)) == [uuid(2), uuid(3), uuid(1)])
        }

        @Test func thenTheLeadIDInByteOrder() {
            let leads = [
                lead(2), lead(1),
                CallListCandidate(
                    leadID: uuid(0, first: 0xFF), heat: .empty, enrollmentProbability: nil,
                    lastContactedAt: nil, createdAt: now - 10 * 86_400), lead(3),
            ]

            let sorted = ids(ordering.sorted(leads))

            #expect(sorted == [uuid(1), uuid(2), uuid(3), uuid(0, first: 0xFF)])
            #expect(sorted.map(\.uuidString) == sorted.map(\.uuidString).sorted())
        }

        @Test func aLeadDoesNotPrecedeItself() {
            let candidate = lead(1, heat: 4, probability: 0.3, contactedDaysAgo: 2)

            #expect(!ordering.precedes(candidate, candidate))
        }

        @Test func topNOfNothingOrZeroIsEmpty() {
            #expect(ordering.topN(5, from: []).isEmpty)
            #expect(ordering.topN(0, from: [lead(1)]).isEmpty)
            #expect(ordering.topN(-1, from: [lead(1)]).isEmpty)
        }

        @Test func topNOfMoreThanThereAreIsTheWholeList() {
            let leads = [lead(1, heat: 1), lead(2, heat: 3), lead(3, heat: 2)]

            #expect(ordering.topN(10, from: leads) == ordering.sorted(leads))
        }

        @Test("topN is the prefix of the sorted list", arguments: 1...8)
        func topNMatchesSortedPrefix(seed: UInt64) {
            var random = SeededRandom(seed: seed)
            // Few distinct values, so that every tie-break is exercised.
            let leads = (0..<2_000).map { _ in
                CallListCandidate(
                    leadID: UUID(
                        uuid: (
                            UInt8(random.int(in: 0...255)), UInt8(random.int(in: 0...255)), 0, 0,
                            0, 0, 0x70, 0, 0x80, 0, 0, 0, 0, 0, UInt8(random.int(in: 0...255)),
                            UInt8(random.int(in: 0...255))
                        )),
                    heat: HeatScoreState(
                        score: Double(random.int(in: -2...6)),
                        asOf: now - Double(random.int(in: 0...2)) * 86_400),
                    enrollmentProbability: random.chance(0.3)
                        ? nil : Double(random.int(in: 0...4)) / 4,
                    lastContactedAt: random.chance(0.2)
                        ? nil : now - Double(random.int(in: 0...3)) * 86_400,
                    createdAt: now - Double(random.int(in: 10...13)) * 86_400)
            }
            let sorted = ordering.sorted(leads)

            for count in [1, 7, 50, 500, 1_999, 2_000, 2_500] {
                #expect(ordering.topN(count, from: leads) == Array(sorted.prefix(count)))
            }
            for (earlier, later) in zip(sorted, sorted.dropFirst()) {
                #expect(!ordering.precedes(later, earlier))
            }
        }
    }
}
