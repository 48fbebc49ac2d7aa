import Foundation
import ReliefCore
import Testing

@Suite("Retry policy and schedule slots")
struct JobRulesTests {
    @Test("backoff doubles, is capped, spreads with jitter and gives up")
    func backoff() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 10, maxDelay: 60, jitter: 0.5)
        #expect(policy.afterFailure(attempt: 1, random: 0.5) == .retry(after: 10))
        #expect(policy.afterFailure(attempt: 2, random: 0.5) == .retry(after: 20))
        #expect(policy.afterFailure(attempt: 3, random: 0.5) == .retry(after: 40))
        #expect(policy.afterFailure(attempt: 4, random: 0.5) == .retry(after: 60))
        #expect(policy.afterFailure(attempt: 1, random: 0) == .retry(after: 5))
        #expect(policy.afterFailure(attempt: 1, random: 1) == .retry(after: 15))
        #expect(policy.afterFailure(attempt: 5, random: 0.5) == .giveUp)
        #expect(RetryPolicy(maxAttempts: 1).afterFailure(attempt: 1, random: 0.3) == .giveUp)
    }

    @Test("every-N-minute slots are aligned")
    func everySlots() {
        let rule = ScheduleRule.every(minutes: 15)
        let now = Date(timeIntervalSince1970: 1_800_000_000 + 7 * 60)
        let slot = rule.latestSlot(atOrBefore: now, timeZone: .gmt)
        #expect(slot.timeIntervalSince1970.truncatingRemainder(dividingBy: 900) == 0)
        #expect(now.timeIntervalSince(slot) < 900)
        #expect(rule.latestSlot(atOrBefore: slot, timeZone: .gmt) == slot)
    }

    static func date(_ text: String, _ zone: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone)
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!
    }

    @Test("daily slots follow the local clock through daylight-saving changes")
    func dailySlots() {
        let newYork = TimeZone(identifier: "America/New_York")!
        let rule = ScheduleRule.daily(hour: 2, minute: 30)
        // An ordinary day: before 02:30 the slot is yesterday's, after it today's.
        #expect(
            rule.latestSlot(
                atOrBefore: Self.date("2026-06-10 01:00", "America/New_York"), timeZone: newYork)
                == Self.date("2026-06-09 02:30", "America/New_York"))
        #expect(
            rule.latestSlot(
                atOrBefore: Self.date("2026-06-10 09:00", "America/New_York"), timeZone: newYork)
                == Self.date("2026-06-10 02:30", "America/New_York"))
        // Spring forward (2026-03-08): 02:30 does not exist; the slot is 03:00 EDT.
        let spring = rule.latestSlot(
            atOrBefore: Self.date("2026-03-08 12:00", "America/New_York"), timeZone: newYork)
        #expect(spring == Date(timeIntervalSince1970: 1_772_953_200))
        // Fall back (2026-11-01): 01:30 happens twice; the slot is the first (EDT).
        let fall = ScheduleRule.daily(hour: 1, minute: 30).latestSlot(
            atOrBefore: Self.date("2026-11-01 12:00", "America/New_York"), timeZone: newYork)
        #expect(fall == Date(timeIntervalSince1970: 1_793_511_000))
        // Arizona keeps its clock.
        let phoenix = TimeZone(identifier: "America/Phoenix")!
        #expect(
            rule.latestSlot(
                atOrBefore: Self.date("2026-03-08 12:00", "America/Phoenix"), timeZone: phoenix)
                == Self.date("2026-03-08 02:30", "America/Phoenix"))
    }
}
