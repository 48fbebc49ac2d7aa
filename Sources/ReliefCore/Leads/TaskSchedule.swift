import Foundation

/// When a follow-up task is due and when its reminder fires: due times are typed as a date and
/// a wall-clock time in the organization's time zone; reminders fire a number of minutes
/// before the due time.
public enum TaskSchedule {
    /// The reminder offsets the task form offers, in minutes before the due time.
    public static let reminderChoices = [0, 5, 15, 30, 60, 120, 1440]
    /// The earliest reminder: one week before the due time.
    public static let maxReminderMinutes = 10_080

    /// Where a task stands for its assignee.
    public enum Bucket: String, Sendable, CaseIterable {
        /// Open and past its due time.
        case overdue
        /// Open and due later today (in the organization's time zone).
        case today
        /// Open and due after today.
        case upcoming
        case completed
    }

    /// "14:30", "9:05", "2:30 pm", "9am", "12 AM" as hour (0-23) and minute.
    public static func time(_ raw: String) throws(TaskTimeError) -> (hour: Int, minute: Int) {
        var text = raw.trimmed.lowercased()
        if text.isEmpty { throw .empty }
        var meridiem: String?
        for suffix in ["am", "pm", "a.m.", "p.m."] where text.hasSuffix(suffix) {
            meridiem = String(suffix.prefix(1))
            text = String(text.dropLast(suffix.count)).trimmed
            break
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.count <= 2 }),
            let hour = Int(parts[0]), let minute = parts.count == 2 ? Int(parts[1]) : 0,
            parts.count == 1 || parts[1].count == 2, (0...59).contains(minute)
        else { throw .unrecognized }
        switch meridiem {
        case .some(let half):
            guard (1...12).contains(hour) else { throw .unrecognized }
            return ((hour % 12) + (half == "p" ? 12 : 0), minute)
        case .none:
            guard (0...23).contains(hour), parts.count == 2 else { throw .unrecognized }
            return (hour, minute)
        }
    }

    /// The instant of `hour:minute` on `date` in `zone`. A time skipped by a daylight-saving
    /// change reads as the first instant after the gap.
    public static func instant(on date: CalendarDate, hour: Int, minute: Int, in zone: TimeZone)
        -> Date
    {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let start = calendar.date(
            from: DateComponents(year: date.year, month: date.month, day: date.day))!
        let target = DateComponents(hour: hour, minute: minute, second: 0)
        return calendar.nextDate(
            after: start.addingTimeInterval(-1), matching: target, matchingPolicy: .nextTime,
            repeatedTimePolicy: .first, direction: .forward)
            ?? start.addingTimeInterval(Double(hour * 3600 + minute * 60))
    }

    /// When the reminder fires: `minutesBefore` before the due time, nil without a reminder.
    public static func reminder(dueAt: Date, minutesBefore: Int?) -> Date? {
        minutesBefore.map { dueAt.addingTimeInterval(-Double($0) * 60) }
    }

    /// Where a task stands at `now` for someone in `zone`.
    public static func bucket(dueAt: Date, completedAt: Date?, now: Date, in zone: TimeZone)
        -> Bucket
    {
        if completedAt != nil { return .completed }
        if dueAt < now { return .overdue }
        return CalendarDate(dueAt, in: zone) == CalendarDate(now, in: zone) ? .today : .upcoming
    }
}

/// Why a typed time of day is refused.
public enum TaskTimeError: FieldValueError, Equatable {
    case empty
    case unrecognized

    public var message: String {
        switch self {
        case .empty: "Enter a time."
        case .unrecognized: "Enter a time like 14:30 or 2:30 pm."
        }
    }
}
