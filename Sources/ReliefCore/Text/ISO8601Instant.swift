import Foundation

/// Parses RFC 3339 / ISO 8601 instants ("2026-11-25T15:00:00Z", "2026-11-25T10:00:00.250-05:00")
/// without a formatter: Foundation's `ISO8601DateFormatter` builds an ICU formatter per instance,
/// far too slow for a batch of ten thousand.
public enum ISO8601Instant {
    /// The instant, or nil unless `text` is `YYYY-MM-DDTHH:MM:SS`, optional fractional seconds,
    /// then `Z` or an offset `±HH:MM` (a lower-case `t` or `z`, or a space for `T`, is accepted).
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes -> Date? in
            var index = 0
            func number(_ width: Int) -> Int? {
                guard index + width <= bytes.count else { return nil }
                var value = 0
                for offset in 0..<width {
                    let byte = bytes[index + offset]
                    guard byte >= 0x30, byte <= 0x39 else { return nil }
                    value = value * 10 + Int(byte - 0x30)
                }
                index += width
                return value
            }
            func expect(_ allowed: [UInt8]) -> Bool {
                guard index < bytes.count, allowed.contains(bytes[index]) else { return false }
                index += 1
                return true
            }
            guard let year = number(4), expect([0x2D]), let month = number(2), expect([0x2D]),
                let day = number(2), expect([0x54, 0x74, 0x20]), let hour = number(2),
                expect([0x3A]), let minute = number(2), expect([0x3A]), let second = number(2),
                let date = CalendarDate(year: year, month: month, day: day), hour < 24,
                minute < 60, second < 61
            else { return nil }
            var fraction = 0.0
            if index < bytes.count, bytes[index] == 0x2E {
                index += 1
                var scale = 0.1
                let start = index
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                    fraction += Double(bytes[index] - 0x30) * scale
                    scale /= 10
                    index += 1
                }
                guard index > start else { return nil }
            }
            var offsetSeconds = 0
            if expect([0x5A, 0x7A]) {
                offsetSeconds = 0
            } else if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D {
                let sign = bytes[index] == 0x2D ? -1 : 1
                index += 1
                guard let hours = number(2), expect([0x3A]), let minutes = number(2),
                    hours < 24, minutes < 60
                else { return nil }
                offsetSeconds = sign * (hours * 3_600 + minutes * 60)
            } else {
                return nil
            }
            guard index == bytes.count else { return nil }
            let seconds =
                date.daysSinceEpoch * 86_400 + hour * 3_600 + minute * 60 + second - offsetSeconds
            return Date(timeIntervalSince1970: Double(seconds) + fraction)
        }
    }
}

extension ISO8601Instant {
    /// "2026-11-25T15:00:00Z" (whole seconds, UTC), as `JSONEncoder`'s `.iso8601` writes it.
    public static func format(_ instant: Date) -> String {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let date = LocalDay.epoch.adding(days: days)
        let rest = seconds - days * 86_400
        return
            "\(date)T\(twoDigits(rest / 3_600)):\(twoDigits(rest % 3_600 / 60)):\(twoDigits(rest % 60))Z"
    }
}

/// A number of 0 to 99 with a leading zero below 10 ("07"), for clock times.
func twoDigits(_ value: Int) -> String { (value < 10 ? "0" : "") + String(value) }
