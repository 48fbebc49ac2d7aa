import Foundation

/// A day in the proleptic Gregorian calendar, without a time or time zone: a date of birth,
/// a due date. Encodes as "YYYY-MM-DD".
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil unless the day exists (February 29 only in leap years) and the year is 1...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Self.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day `date` falls on in `timeZone`; pass the instant from the injected clock.
    public init(_ date: Date, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// Parses "1980-04-23", US month-first dates "04/23/1980", "4/23/1980" and "4-23-1980",
    /// and dates with an English month name: "23-Apr-1980", "23 April 1980", "Apr 23, 1980".
    /// A time of day after the date is ignored ("1980-04-23T00:00:00Z", "4/23/1980 0:00"), as
    /// database and spreadsheet exports often add one.
    ///
    /// A two-digit year ("4/23/80") needs `referenceYear` (usually this year): it becomes the
    /// year ending in those digits from `referenceYear - 80` to `referenceYear + 19`, so in
    /// 2025 "80" is 1980 and "44" is 2044. Without `referenceYear` two-digit years are refused.
    /// For dates of birth use ``dateOfBirth(_:today:)``, which never picks a future century.
    public static func parse(
        _ raw: String, referenceYear: Int? = nil
    ) throws(CalendarDateError) -> CalendarDate {
        try parse(raw) { twoDigits throws(CalendarDateError) in
            guard let referenceYear else { throw .twoDigitYear }
            return expand(twoDigits, latest: referenceYear + 19)
        }
    }

    /// A date of birth as a person can have it on `today`: two-digit years are in the past
    /// century ("01/02/30" in 2025 is 1930), and the date is not in the future and makes the
    /// person 18 to 120 years old.
    public static func dateOfBirth(
        _ raw: String, today: CalendarDate
    ) throws(CalendarDateError) -> CalendarDate {
        let date = try parse(raw) { twoDigits in expand(twoDigits, latest: today.year) }
        try checkDateOfBirth(date, today: today)
        return date
    }

    /// Throws unless `date` is a plausible date of birth for an adult on `today`: not in the
    /// future, age 18 to 120.
    public static func checkDateOfBirth(
        _ date: CalendarDate, today: CalendarDate
    ) throws(CalendarDateError) {
        if date > today { throw .dateOfBirthInFuture }
        let age = date.age(on: today)
        if age > 120 { throw .dateOfBirthTooLongAgo }
        if age < 18 { throw .underage }
    }

    /// Whole years from this date to `day` (a birthday on February 29 falls on March 1 in
    /// other years).
    public func age(on day: CalendarDate) -> Int {
        let hadBirthday = (day.month, day.day) >= (month, self.day)
        return day.year - year - (hadBirthday ? 0 : 1)
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// "1980-04-23".
    public var description: String {
        let year = String(year)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-"
            + (month < 10 ? "0" : "") + String(month) + "-" + (day < 10 ? "0" : "") + String(day)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.map(\.count) == [4, 2, 2], let year = Int(parts[0]), let month = Int(parts[1]),
            let day = Int(parts[2]), let date = CalendarDate(year: year, month: month, day: day)
        else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "Expected a date as YYYY-MM-DD.")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The latest year not after `latest` that ends in `twoDigits`.
    private static func expand(_ twoDigits: Int, latest: Int) -> Int {
        let candidate = latest - latest % 100 + twoDigits
        return candidate > latest ? candidate - 100 : candidate
    }

    private enum Token {
        case number(Int, digits: Int)
        case word(String)
    }

    private static func parse(
        _ raw: String, twoDigitYear: (Int) throws(CalendarDateError) -> Int
    ) throws(CalendarDateError) -> CalendarDate {
        let text = Array(raw.trimmed.utf8)
        if text.isEmpty { throw .empty }
        let (parts, separators) = try tokens(of: text[..<(timeSuffix(of: text) ?? text.endIndex)])
        guard parts.count == 3 else { throw .unrecognized }
        let numeric = separators == [UInt8(ascii: "-")] || separators == [UInt8(ascii: "/")]
        func fullYear(_ value: Int, _ digits: Int) throws(CalendarDateError) -> Int {
            guard digits == 2 || digits == 4 else { throw .unrecognized }
            return digits == 2 ? try twoDigitYear(value) : value
        }
        let (year, month, day): (Int, Int, Int)
        switch (parts[0], parts[1], parts[2]) {
        case (.number(let y, 4), .number(let m, 1...2), .number(let d, 1...2)) where numeric:
            (year, month, day) = (y, m, d)
        case (.number(let m, 1...2), .number(let d, 1...2), .number(let y, let digits))
        where numeric:
            (year, month, day) = (try fullYear(y, digits), m, d)
        case (.number(let d, 1...2), .word(let name), .number(let y, let digits)),
            (.word(let name), .number(let d, 1...2), .number(let y, let digits)):
            (year, month, day) = (try fullYear(y, digits), try monthNumber(name), d)
        default:
            throw .unrecognized
        }
        guard (1...12).contains(month) else { throw .invalidMonth }
        guard let date = CalendarDate(year: year, month: month, day: day) else {
            throw .invalidDay
        }
        return date
    }

    /// The month of an English month name or its abbreviation ("Apr", "April", "Sept").
    private static func monthNumber(_ name: String) throws(CalendarDateError) -> Int {
        let names = [
            "january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december",
        ]
        let name = name.lowercased()
        let month = names.firstIndex { $0 == name || ($0.hasPrefix(name) && name.count >= 3) }
        guard let month, name.count <= 4 || names[month] == name else { throw .unrecognized }
        return month + 1
    }

    /// Where a time of day after the date starts ("T00:00:00Z", " 12:00:00 AM"), if there is
    /// one: the last space or "T" before the first colon.
    private static func timeSuffix(of text: [UInt8]) -> Int? {
        guard let colon = text.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        return text[..<colon].lastIndex { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "T") }
    }

    /// The runs of ASCII digits (of at most four) and of letters, and the set of separators
    /// between them.
    private static func tokens(
        of text: ArraySlice<UInt8>
    ) throws(CalendarDateError) -> ([Token], Set<UInt8>) {
        func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
        func isLetter(_ byte: UInt8) -> Bool {
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
        var tokens: [Token] = []
        var separators: Set<UInt8> = []
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if isDigit(byte) || isLetter(byte) {
                let isNumber = isDigit(byte)
                let run = text[index...].prefix(while: isNumber ? isDigit : isLetter)
                if isNumber {
                    guard run.count <= 4 else { throw .unrecognized }
                    let value = run.reduce(0) { $0 * 10 + Int($1 - 0x30) }
                    tokens.append(.number(value, digits: run.count))
                } else {
                    tokens.append(.word(String(decoding: run, as: UTF8.self)))
                }
                index = run.endIndex
            } else if Array("-/., ".utf8).contains(byte) {
                separators.insert(byte)
                index += 1
            } else {
                throw .unrecognized
            }
        }
        return (tokens, separators)
    }
}

/// Why a value is not a usable date, as a sentence for the person who entered it.
public enum CalendarDateError: FieldValueError, Equatable, CustomStringConvertible {
    case empty
    case unrecognized
    case twoDigitYear
    case invalidMonth
    case invalidDay
    case dateOfBirthInFuture
    /// The date of birth makes the person older than 120.
    case dateOfBirthTooLongAgo
    case underage

    public var message: String {
        switch self {
        case .empty: return "Enter a date."
        case .unrecognized: return "Enter a date like 04/23/1980 or 1980-04-23."
        case .twoDigitYear: return "Enter the year with four digits, like 04/23/1980."
        case .invalidMonth: return "The month must be from 1 to 12."
        case .invalidDay: return "That day does not exist in that month."
        case .dateOfBirthInFuture: return "The date of birth is in the future."
        case .dateOfBirthTooLongAgo: return "The date of birth makes the person older than 120."
        case .underage: return "The person must be at least 18 years old."
        }
    }

    public var description: String { message }
}
