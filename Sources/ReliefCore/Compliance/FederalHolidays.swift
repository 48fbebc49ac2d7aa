import Foundation

/// The US federal holidays of a year (5 U.S.C. 6103), computed rather than listed so every year
/// works. State rules that forbid calls "on holidays" use them.
public enum FederalHolidays {
    /// One holiday: its name, the day it falls on, and the day it is observed when that differs
    /// (a Saturday holiday is observed the Friday before, a Sunday one the Monday after).
    public struct Holiday: Sendable, Equatable {
        public var name: String
        public var date: CalendarDate
        public var observed: CalendarDate
    }

    /// The eleven holidays of `year`, in date order.
    public static func holidays(in year: Int) -> [Holiday] {
        func fixed(_ name: String, _ month: Int, _ day: Int) -> Holiday {
            let date = CalendarDate(year: year, month: month, day: day)!
            let observed =
                switch weekday(of: date) {
                case 7: date.adding(days: -1)
                case 1: date.adding(days: 1)
                default: date
                }
            return Holiday(name: name, date: date, observed: observed)
        }
        func nth(_ name: String, _ month: Int, weekday target: Int, _ n: Int) -> Holiday {
            let first = CalendarDate(year: year, month: month, day: 1)!
            let offset = (target - weekday(of: first) + 7) % 7
            let date = first.adding(days: offset + 7 * (n - 1))
            return Holiday(name: name, date: date, observed: date)
        }
        func last(_ name: String, _ month: Int, weekday target: Int) -> Holiday {
            let days = CalendarDate.daysIn(month: month, year: year)
            let end = CalendarDate(year: year, month: month, day: days)!
            let date = end.adding(days: -((weekday(of: end) - target + 7) % 7))
            return Holiday(name: name, date: date, observed: date)
        }
        var list = [
            fixed("New Year's Day", 1, 1),
            nth("Birthday of Martin Luther King, Jr.", 1, weekday: 2, 3),
            nth("Washington's Birthday", 2, weekday: 2, 3),
            last("Memorial Day", 5, weekday: 2),
            fixed("Independence Day", 7, 4),
            nth("Labor Day", 9, weekday: 2, 1),
            nth("Columbus Day", 10, weekday: 2, 2),
            fixed("Veterans Day", 11, 11),
            nth("Thanksgiving Day", 11, weekday: 5, 4),
            fixed("Christmas Day", 12, 25),
        ]
        if year >= 2021 { list.insert(fixed("Juneteenth National Independence Day", 6, 19), at: 4) }
        return list
    }

    /// The holiday `date` is, on its own date or its observed date, or nil. Both days count, so
    /// a rule against holiday calls holds on either.
    public static func holiday(on date: CalendarDate) -> Holiday? {
        // New Year's Day of the next year may be observed on December 31.
        let candidates =
            holidays(in: date.year) + (date.month == 12 ? holidays(in: date.year + 1) : [])
        return candidates.first { $0.date == date || $0.observed == date }
    }

    /// 1 = Sunday ... 7 = Saturday (Foundation's numbering), by Zeller-style arithmetic.
    static func weekday(of date: CalendarDate) -> Int {
        // Days since 1970-01-01, a Thursday (weekday 5).
        let days = date.daysSinceEpoch
        return ((days % 7 + 7) % 7 + 4) % 7 + 1
    }
}

extension CalendarDate {
    /// Days from 1970-01-01 (negative before it), by the civil-from-days algorithm.
    var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The day `days` after this one (before it when negative).
    public func adding(days: Int) -> CalendarDate {
        let z = daysSinceEpoch + days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return CalendarDate(year: year, month: month, day: day)!
    }
}
