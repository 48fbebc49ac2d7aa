import Foundation
import ReliefCore
import Testing

@Suite("Caller id pool")
struct CallerIDPoolTests {
    static func number(
        _ last: Int, areaCode: String = "512", state: String? = "TX",
        timeZone: String? = "America/Chicago", health: CallerIDHealth = .healthy,
        callsToday: Int = 0, dailyCap: Int = 100, calls7Days: Int = 0, answered7Days: Int = 0,
        lastUsedAt: Date? = nil
    ) -> CallerIDCandidate {
        CallerIDCandidate(
            id: UUID(uuidString: "00000000-0000-0000-0000-\(String(format: "%012d", last))")!,
            nationalDigits: areaCode + String(format: "555%04d", last), areaCode: areaCode,
            state: state, timeZone: timeZone, health: health, callsToday: callsToday,
            dailyCap: dailyCap, calls7Days: calls7Days, answered7Days: answered7Days,
            lastUsedAt: lastUsedAt)
    }

    static let denver = number(1, areaCode: "303", state: "CO", timeZone: "America/Denver")
    static let dallas = number(2, areaCode: "214", state: "TX", timeZone: "America/Chicago")
    static let chicago = number(3, areaCode: "312", state: "IL", timeZone: "America/Chicago")
    static let austin = number(4, areaCode: "512", state: "TX", timeZone: "America/Chicago")
    static let pool = [denver, dallas, chicago, austin]

    static func pick(
        areaCode: String?, state: String?, timeZones: [String] = [],
        from pool: [CallerIDCandidate] = pool
    ) -> CallerIDPick? {
        CallerIDPicker.pick(
            leadAreaCode: areaCode, leadState: state, leadTimeZones: timeZones, from: pool)
    }

    // MARK: - Picking

    @Test func prefersTheLeadsAreaCode() throws {
        let pick = try #require(
            Self.pick(areaCode: "512", state: "TX", timeZones: ["America/Chicago"]))

        #expect(pick.candidate == Self.austin)
        #expect(pick.match == .areaCode)
        #expect(
            pick.explanation
                == "(512) 555-0004, in the lead's area code 512 (0 of 100 calls today).")
    }

    @Test func thenTheLeadsState() throws {
        let pick = try #require(
            Self.pick(areaCode: "713", state: "tx", timeZones: ["America/Chicago"]))

        #expect(pick.candidate == Self.dallas)
        #expect(pick.match == .state)
        #expect(
            pick.explanation == "(214) 555-0002, in the lead's state TX (0 of 100 calls today).")
    }

    @Test func thenTheLeadsTimeZone() throws {
        let pick = try #require(
            Self.pick(areaCode: "414", state: "WI", timeZones: ["America/Chicago"]))

        #expect(pick.candidate == Self.dallas)
        #expect(pick.match == .timeZone)
        #expect(
            pick.explanation
                == "(214) 555-0002, in the lead's time zone America/Chicago (0 of 100 calls today)."
        )
    }

    @Test func anyOfTheLeadsTimeZonesCounts() throws {
        let pick = try #require(
            Self.pick(areaCode: nil, state: nil, timeZones: ["America/New_York", "America/Denver"]))

        #expect(pick.candidate == Self.denver)
        #expect(pick.match == .timeZone)
    }

    @Test func thenAnyAvailableNumber() throws {
        let pick = try #require(
            Self.pick(areaCode: "808", state: "HI", timeZones: ["Pacific/Honolulu"]))

        #expect(pick.candidate == Self.denver)
        #expect(pick.match == .any)
        #expect(
            pick.explanation
                == "(303) 555-0001, no number in the lead's area code, state or time zone "
                + "(0 of 100 calls today).")
    }

    @Test func aLeadWithNothingKnownGetsAnyNumber() throws {
        let pick = try #require(Self.pick(areaCode: nil, state: nil))

        #expect(pick.match == .any)
        #expect(pick.candidate == Self.denver)
    }

    @Test func skipsFlaggedRestingAndCappedNumbersEvenInTheAreaCode() throws {
        var flagged = Self.austin
        flagged.health = .flagged
        let resting = Self.number(5, health: .resting, callsToday: 3)
        let capped = Self.number(6, callsToday: 100)
        let pool = [flagged, resting, capped, Self.dallas]

        let pick = try #require(Self.pick(areaCode: "512", state: "TX", from: pool))

        #expect(pick.candidate == Self.dallas)
        #expect(pick.match == .state)
    }

    @Test func aFlaggedNumberIsNeverPickedEvenWhenItIsTheOnlyOne() {
        let flagged = Self.number(7, health: .flagged)

        #expect(Self.pick(areaCode: "512", state: "TX", from: [flagged]) == nil)
        #expect(Self.pick(areaCode: nil, state: nil, from: [flagged]) == nil)
        #expect(Self.pick(areaCode: nil, state: nil, from: []) == nil)
    }

    @Test func fewestCallsTodayWinsWithinATier() throws {
        let busy = Self.number(10, callsToday: 12)
        let quiet = Self.number(11, callsToday: 3)
        let middle = Self.number(12, callsToday: 7)

        let pick = try #require(
            Self.pick(areaCode: "512", state: "TX", from: [busy, quiet, middle]))

        #expect(pick.candidate == quiet)
    }

    @Test func thenLeastRecentlyUsedWithNeverUsedFirst() throws {
        let morning = Date(timeIntervalSince1970: 1_750_000_000)
        let recent = Self.number(20, callsToday: 5, lastUsedAt: morning.addingTimeInterval(600))
        let earlier = Self.number(21, callsToday: 5, lastUsedAt: morning)
        let never = Self.number(22, callsToday: 5)

        #expect(
            Self.pick(areaCode: "512", state: nil, from: [recent, earlier, never])?.candidate
                == never)
        #expect(
            Self.pick(areaCode: "512", state: nil, from: [recent, earlier])?.candidate == earlier)
    }

    @Test func thenTheSmallestId() throws {
        let second = Self.number(31)
        let first = Self.number(30)

        #expect(Self.pick(areaCode: "512", state: nil, from: [second, first])?.candidate == first)
    }

    @Test func repeatedPicksSpreadCallsEvenly() throws {
        let start = Date(timeIntervalSince1970: 1_750_000_000)
        var pool = (40..<43).map { Self.number($0) }
        var order: [Int] = []
        for call in 0..<9 {
            let pick = try #require(Self.pick(areaCode: "512", state: "TX", from: pool))
            let index = try #require(pool.firstIndex(of: pick.candidate))
            pool[index].callsToday += 1
            pool[index].lastUsedAt = start.addingTimeInterval(Double(call))
            order.append(index)
        }

        #expect(order == [0, 1, 2, 0, 1, 2, 0, 1, 2])
        #expect(pool.map(\.callsToday) == [3, 3, 3])
    }

    @Test func aNumberAtItsCapIsNoLongerPicked() throws {
        let nearlyFull = Self.number(50, callsToday: 1, dailyCap: 2)
        var pool = [nearlyFull]

        let first = try #require(Self.pick(areaCode: "512", state: nil, from: pool))
        pool[0].callsToday += 1

        #expect(first.candidate == nearlyFull)
        #expect(Self.pick(areaCode: "512", state: nil, from: pool) == nil)
    }

    // MARK: - Health review

    @Test func restsAHealthyNumberAtItsCap() {
        let full = Self.number(60, callsToday: 100)
        let over = Self.number(61, callsToday: 104)
        let under = Self.number(62, callsToday: 99)

        let changes = CallerIDPicker.review([full, over, under], policy: CallerIDHealthPolicy())

        #expect(
            changes == [
                CallerIDHealthChange(
                    id: full.id, from: .healthy, to: .resting,
                    reason: "Reached its daily cap of 100 calls."),
                CallerIDHealthChange(
                    id: over.id, from: .healthy, to: .resting,
                    reason: "Reached its daily cap of 100 calls."),
            ])
    }

    @Test func returnsARestingNumberOnANewDay() {
        let rested = Self.number(70, health: .resting, callsToday: 0)
        let stillFull = Self.number(71, health: .resting, callsToday: 100)

        let changes = CallerIDPicker.review([rested, stillFull])

        #expect(
            changes == [
                CallerIDHealthChange(
                    id: rested.id, from: .resting, to: .healthy,
                    reason: "Under its daily cap again (0 of 100 calls today).")
            ])
    }

    @Test func flagsANumberAnsweredFarBelowTheRestOfThePool() {
        let good = Self.number(80, calls7Days: 100, answered7Days: 30)
        let fine = Self.number(81, calls7Days: 100, answered7Days: 20)
        let spam = Self.number(82, calls7Days: 60, answered7Days: 6)

        let changes = CallerIDPicker.review([good, fine, spam])

        #expect(
            changes == [
                CallerIDHealthChange(
                    id: spam.id, from: .healthy, to: .flagged,
                    reason: "Answered 6 of 60 calls in 7 days (10%), below 50% of the rest of "
                        + "the pool's 25%; carriers may label it spam.")
            ])
    }

    @Test func justAboveTheThresholdIsNotFlagged() {
        let rest = Self.number(90, calls7Days: 100, answered7Days: 20)
        let atHalf = Self.number(91, calls7Days: 50, answered7Days: 5)
        let belowHalf = Self.number(92, calls7Days: 50, answered7Days: 4)

        #expect(CallerIDPicker.review([rest, atHalf]) == [])
        #expect(CallerIDPicker.review([rest, belowHalf]).map(\.to) == [.flagged])
    }

    @Test func needsEnoughCallsOnBothSidesToJudge() {
        let rest = Self.number(100, calls7Days: 100, answered7Days: 40)
        let fewCalls = Self.number(101, calls7Days: 29, answered7Days: 0)
        let enoughCalls = Self.number(102, calls7Days: 30, answered7Days: 0)
        let thinRest = Self.number(103, calls7Days: 29, answered7Days: 15)

        #expect(CallerIDPicker.review([rest, fewCalls]) == [])
        #expect(CallerIDPicker.review([rest, enoughCalls]).map(\.id) == [enoughCalls.id])
        #expect(CallerIDPicker.review([thinRest, enoughCalls]) == [])
    }

    @Test func aPoolOfOneOrAPoolWithoutAnswersNeverFlags() {
        let alone = Self.number(110, calls7Days: 200, answered7Days: 1)
        let silent = Self.number(111, calls7Days: 200, answered7Days: 0)

        #expect(CallerIDPicker.review([alone]) == [])
        #expect(CallerIDPicker.review([silent, Self.number(112, calls7Days: 200)]) == [])
    }

    @Test func flaggedNumbersAreLeftOutOfTheYardstickAndNeverRestored() {
        let flagged = Self.number(
            120, health: .flagged, callsToday: 0, calls7Days: 300, answered7Days: 0)
        let good = Self.number(121, calls7Days: 100, answered7Days: 30)
        let weak = Self.number(122, calls7Days: 100, answered7Days: 14)

        let changes = CallerIDPicker.review([flagged, good, weak])

        // With the flagged number in, the rest of the pool's rate for `weak` would be 30/400.
        #expect(changes.map(\.id) == [weak.id])
        #expect(changes.map(\.to) == [.flagged])
    }

    @Test func flaggingWinsOverRestingAndRestoring() {
        let good = Self.number(130, calls7Days: 200, answered7Days: 60)
        let badAndFull = Self.number(131, callsToday: 100, calls7Days: 100, answered7Days: 5)
        let badAndRested = Self.number(132, health: .resting, calls7Days: 100, answered7Days: 5)

        let changes = CallerIDPicker.review([good, badAndFull, badAndRested])

        #expect(changes.map(\.id) == [badAndFull.id, badAndRested.id])
        #expect(changes.map(\.from) == [.healthy, .resting])
        #expect(changes.map(\.to) == [.flagged, .flagged])
    }

    @Test func aStricterPolicyFlagsSooner() {
        let rest = Self.number(140, calls7Days: 100, answered7Days: 30)
        let weak = Self.number(141, calls7Days: 10, answered7Days: 2)
        let policy = CallerIDHealthPolicy(
            minimumCallsToJudge: 10, flagBelowFractionOfPoolRate: 0.75)

        #expect(CallerIDPicker.review([rest, weak]) == [])
        #expect(CallerIDPicker.review([rest, weak], policy: policy).map(\.id) == [weak.id])
    }

    @Test func answerRateAndAvailability() {
        #expect(Self.number(150, calls7Days: 40, answered7Days: 10).answerRate7Days == 0.25)
        #expect(Self.number(151).answerRate7Days == nil)
        #expect(Self.number(152, callsToday: 99).isAvailable)
        #expect(!Self.number(153, callsToday: 100).isAvailable)
        #expect(!Self.number(154, health: .resting).isAvailable)
        #expect(!Self.number(155, health: .flagged).isAvailable)
    }
}
