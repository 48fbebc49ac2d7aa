import Foundation

/// When a recurring job fires. Each firing belongs to a slot (the instant it is due); the queue
/// enqueues one job per slot with the slot in its unique key, so several workers that see the
/// same slot create one job.
public enum ScheduleRule: Sendable, Equatable {
    /// Every `minutes` minutes, aligned to the Unix epoch (every 15 minutes fires at :00, :15...).
    case every(minutes: Int)
    /// Once a day at a local wall-clock time in a time zone (an organization's).
    case daily(hour: Int, minute: Int)

    /// The start of the latest slot at or before `now`, in `timeZone` for daily rules. On a
    /// day where the local time does not exist (spring forward) the slot is the first instant
    /// after the gap; on a day where it happens twice (fall back) it is the first of the two.
    public func latestSlot(atOrBefore now: Date, timeZone: TimeZone) -> Date {
        switch self {
        case .every(let minutes):
            let period = Double(max(1, minutes) * 60)
            return Date(
                timeIntervalSince1970: (now.timeIntervalSince1970 / period).rounded(.down) * period)
        case .daily(let hour, let minute):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let today = slot(on: now, hour: hour, minute: minute, calendar: calendar)
            if today <= now { return today }
            let yesterday = calendar.date(byAdding: .day, value: -1, to: now) ?? now
            return slot(on: yesterday, hour: hour, minute: minute, calendar: calendar)
        }
    }

    private func slot(on day: Date, hour: Int, minute: Int, calendar: Calendar) -> Date {
        var parts = calendar.dateComponents([.year, .month, .day], from: day)
        parts.hour = hour
        parts.minute = minute
        parts.second = 0
        let startOfDay = calendar.startOfDay(for: day)
        let target = DateComponents(hour: hour, minute: minute, second: 0)
        let first = calendar.nextDate(
            after: startOfDay.addingTimeInterval(-1), matching: target,
            matchingPolicy: .nextTime, repeatedTimePolicy: .first, direction: .forward)
        return first ?? calendar.date(from: parts) ?? startOfDay
    }

    /// A stable text for unique keys and pages ("every 15 min", "daily 02:30").
    public var description: String {
        switch self {
        case .every(let minutes): return "every \(minutes) min"
        case .daily(let hour, let minute): return String(format: "daily %02d:%02d", hour, minute)
        }
    }
}
