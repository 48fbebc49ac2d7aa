import Foundation

/// When calls may be placed to a consumer: the intersection, over every time zone the consumer
/// may be in, of the hours every applicable rule (federal and state) allows on that local day.
///
/// Local days and instants are computed from each zone's UTC offset at the instant in question,
/// so daylight-saving days are exact: on the spring-forward day 8:00 local is 12:00 UTC in New
/// York, on the fall-back day 13:00 UTC, and zones without DST (Arizona, Hawaii) never move.
public struct CallingWindow: Sendable {
    /// The zones checked; a contact must be allowed in every one.
    public let zones: [TimeZone]
    /// The federal rule and the rules of every state involved.
    public let rules: [StateContactRule]

    public init(zones: [TimeZone], rules: [StateContactRule]) {
        self.zones = zones
        self.rules = rules
    }

    /// Why an instant is outside the window: the reason of the first zone that refuses it.
    public func refusal(at instant: Date) -> GateReason? {
        for zone in zones {
            let day = LocalDay(instant, in: zone)
            let (hours, closedBy) = window(on: day.date)
            let minute = day.minuteOfDay
            if let hours, minute >= hours.start, minute < hours.end { continue }
            let localTime = "\(day.date) \(day.clock)"
            if let hours {
                return GateReason(
                    .outsideCallingHours,
                    "It is \(localTime) in \(zone.identifier); calls are allowed \(hours) there "
                        + "(\(statesNamed)).")
            }
            return GateReason(
                .sundayOrHoliday,
                "It is \(localTime) in \(zone.identifier), \(closedBy ?? "a closed day"): "
                    + "no calls that day (\(statesNamed)).")
        }
        return nil
    }

    /// The first instant at or after `instant` inside the window, looking up to 15 days ahead;
    /// nil when none (a rule set that never allows calls).
    public func nextAllowed(atOrAfter instant: Date) -> Date? {
        if refusal(at: instant) == nil { return instant }
        // The window opens at the start of some zone's allowed hours: try them day by day, so
        // the usual answer (later today or tomorrow) costs a few look-ups, not sixteen days'.
        let todays = zones.map { LocalDay(instant, in: $0).date }
        var earlier: [Date] = []
        for offset in 0...15 {
            var candidates = earlier
            for (zone, today) in zip(zones, todays) {
                let date = today.adding(days: offset)
                if let hours = window(on: date).hours,
                    let start = LocalDay.instant(of: date, minute: hours.start, in: zone),
                    start > instant
                {
                    candidates.append(start)
                }
            }
            candidates.sort()
            // Every start of a later day is after the next local midnight, which is more than
            // `offset` days (less an hour of daylight saving) after the instant: a start before
            // that cannot be beaten by one found later.
            let horizon = instant.addingTimeInterval(Double(offset) * 86_400 - 3_600)
            for candidate in candidates where candidate <= horizon {
                if refusal(at: candidate) == nil { return candidate }
            }
            earlier = candidates.filter { $0 > horizon }
        }
        for candidate in earlier where refusal(at: candidate) == nil { return candidate }
        return nil
    }

    /// The hours allowed on a local date by every rule, nil when a rule forbids the day (with
    /// what closes it, e.g. "Sunday (RI)" or "Christmas Day (LA)").
    func window(on date: CalendarDate) -> (hours: CallingHours?, closedBy: String?) {
        let weekday = FederalHolidays.weekday(of: date)
        let holiday =
            rules.allSatisfy(\.callsOnHolidays) ? nil : FederalHolidays.holiday(on: date)
        var hours = CallingHours(start: 0, end: 1440)
        for rule in rules {
            if let holiday, !rule.callsOnHolidays {
                return (nil, "\(holiday.name) (\(rule.state))")
            }
            guard let ruleHours = rule.hours(weekday: weekday) else {
                return (nil, "\(Self.weekdayNames[weekday - 1]) (\(rule.state))")
            }
            guard let overlap = hours.intersection(ruleHours) else { return (nil, "no hours") }
            hours = overlap
        }
        return (hours, nil)
    }

    private var statesNamed: String {
        rules.map { $0.state == "US" ? "federal" : $0.state }.joined(separator: ", ")
    }

    private static let weekdayNames = [
        "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    ]
}

/// An instant seen in a zone: the local date and minute of the day.
struct LocalDay {
    let date: CalendarDate
    let minuteOfDay: Int

    /// "HH:MM".
    var clock: String { Self.clock(minuteOfDay) }

    /// "HH:MM" of a minute of the day (1440 is "24:00").
    static func clock(_ minuteOfDay: Int) -> String {
        twoDigits(minuteOfDay / 60) + ":" + twoDigits(minuteOfDay % 60)
    }

    init(_ instant: Date, in zone: TimeZone) {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
        let local = seconds + zone.secondsFromGMT(for: instant)
        let days = Int((Double(local) / 86_400).rounded(.down))
        date = LocalDay.epoch.adding(days: days)
        minuteOfDay = (local - days * 86_400) / 60
    }

    /// The instant a local wall-clock minute of `date` happens in `zone` (the later offset is
    /// tried when the first guess lands across a transition); nil when that minute does not
    /// exist (skipped by a spring-forward).
    static func instant(of date: CalendarDate, minute: Int, in zone: TimeZone) -> Date? {
        let local = Double(date.daysSinceEpoch * 86_400 + minute * 60)
        var offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: local))
        for _ in 0..<2 {
            let guess = Date(timeIntervalSince1970: local - Double(offset))
            let actual = zone.secondsFromGMT(for: guess)
            if actual == offset { return guess }
            offset = actual
        }
        return nil
    }

    static let epoch = CalendarDate(year: 1970, month: 1, day: 1)!
}
