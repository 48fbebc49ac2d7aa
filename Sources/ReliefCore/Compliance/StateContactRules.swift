import Foundation

/// The hours of one day in which calls may be placed, in minutes after local midnight, or none.
public struct CallingHours: Sendable, Equatable, Codable, CustomStringConvertible {
    /// First allowed minute (480 = 8:00).
    public var start: Int
    /// First minute no longer allowed (1260 = 21:00); a call must start before it.
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// "08:00-21:00".
    public var description: String {
        LocalDay.clock(start) + "-" + LocalDay.clock(end)
    }

    /// The tighter of two windows (their overlap), or nil when they do not overlap.
    func intersection(_ other: CallingHours) -> CallingHours? {
        let start = max(start, other.start)
        let end = min(end, other.end)
        return start < end ? CallingHours(start: start, end: end) : nil
    }

    /// Parses "HH:MM-HH:MM".
    static func parse(_ text: String) -> CallingHours? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let start = minutes(parts[0]), let end = minutes(parts[1]),
            start < end
        else { return nil }
        return CallingHours(start: start, end: end)
    }

    private static func minutes(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0...24).contains(hour), (0..<60).contains(minute), hour * 60 + minute <= 1440
        else { return nil }
        return hour * 60 + minute
    }
}

/// Which earlier contacts count towards a state's frequency limit.
public enum FrequencyScope: String, Sendable, Codable {
    /// Contacts on the same subject (our subject: the contact's purpose).
    case sameSubject = "same_subject"
    /// Every contact.
    case any
}

/// Whether a state requires every party's consent to record a call.
public enum RecordingConsent: String, Sendable, Codable {
    case oneParty = "one_party"
    case allParty = "all_party"
}

/// The contact rules of one state (or "US" for the federal floor), one row of
/// `Resources/Data/state_contact_rules.csv`.
public struct StateContactRule: Sendable, Equatable, Codable {
    /// USPS code, or "US" for the federal rule.
    public var state: String
    /// Monday to Friday; nil means no calls.
    public var weekdayHours: CallingHours?
    public var saturdayHours: CallingHours?
    public var sundayHours: CallingHours?
    /// Whether federal holidays follow the weekday's hours (`true`) or allow no calls (`false`).
    public var callsOnHolidays: Bool
    /// At most this many calls (and texts, when ``frequencyCountsTexts``) in any 24 hours.
    public var frequencyLimit24h: Int?
    public var frequencyCountsTexts: Bool
    public var frequencyScope: FrequencyScope
    /// The seller must identify itself within this many seconds of the start of a call.
    public var identifyWithinSeconds: Int?
    public var recordingConsent: RecordingConsent
    /// Whether a number with the state's area code is presumed to reach a resident.
    public var areaCodePresumption: Bool
    /// Where the rule comes from (statute, regulation, vendor table).
    public var source: String

    /// The hours of a day of the week (1 = Sunday ... 7 = Saturday, as Foundation counts).
    public func hours(weekday: Int) -> CallingHours? {
        switch weekday {
        case 1: sundayHours
        case 7: saturdayHours
        default: weekdayHours
        }
    }
}

/// Every state's contact rules, parsed from `Resources/Data/state_contact_rules.csv`, with the
/// federal rule (row "US") that applies everywhere.
public struct StateContactRuleBook: Sendable {
    /// The federal floor.
    public let federal: StateContactRule
    /// Rules by USPS code, the federal row excluded.
    public let states: [String: StateContactRule]
    /// A fingerprint of the file's contents ("rules-1a2b3c4d5e6f7a8b"), stored with each
    /// decision so an auditor knows which data decided it.
    public let version: String

    /// Parses the file. Throws ``ReferenceDataError`` naming the first malformed line.
    public init(csv: String) throws {
        let columns = [
            "state", "weekday_hours", "saturday_hours", "sunday_hours", "holiday_hours",
            "frequency_limit_24h", "frequency_counts_texts", "frequency_scope",
            "identify_within_seconds", "recording_consent", "area_code_presumption", "source",
        ]
        var rules: [String: StateContactRule] = [:]
        try ReferenceTable.read(csv, columns: columns) { line, fields in
            func fail(_ reason: String) -> ReferenceDataError {
                ReferenceDataError(line: line, reason: reason)
            }
            func hours(_ index: Int) throws -> CallingHours? {
                if fields[index] == "none" { return nil }
                guard let hours = CallingHours.parse(fields[index]) else {
                    throw fail("\(columns[index]) '\(fields[index])' is not HH:MM-HH:MM or none")
                }
                return hours
            }
            func flag(_ index: Int) throws -> Bool {
                switch fields[index] {
                case "yes": return true
                case "no": return false
                default: throw fail("\(columns[index]) '\(fields[index])' is not yes or no")
                }
            }
            func number(_ index: Int) throws -> Int? {
                if fields[index].isEmpty { return nil }
                guard let value = Int(fields[index]), value > 0 else {
                    throw fail("\(columns[index]) '\(fields[index])' is not a positive number")
                }
                return value
            }
            let state = fields[0]
            guard state == "US" || USState.isValid(state), state == state.uppercased() else {
                throw fail("unknown state '\(state)'")
            }
            let callsOnHolidays: Bool
            switch fields[4] {
            case "same": callsOnHolidays = true
            case "none": callsOnHolidays = false
            default: throw fail("holiday_hours '\(fields[4])' is not same or none")
            }
            let scope: FrequencyScope
            if fields[7].isEmpty {
                scope = .any
            } else if let parsed = FrequencyScope(rawValue: fields[7]) {
                scope = parsed
            } else {
                throw fail("frequency_scope '\(fields[7])' is not same_subject or any")
            }
            guard let recording = RecordingConsent(rawValue: fields[9]) else {
                throw fail("recording_consent '\(fields[9])' is not one_party or all_party")
            }
            guard !fields[11].isEmpty else { throw fail("source is empty: every rule cites one") }
            let rule = StateContactRule(
                state: state, weekdayHours: try hours(1), saturdayHours: try hours(2),
                sundayHours: try hours(3), callsOnHolidays: callsOnHolidays,
                frequencyLimit24h: try number(5), frequencyCountsTexts: try flag(6),
                frequencyScope: scope, identifyWithinSeconds: try number(8),
                recordingConsent: recording, areaCodePresumption: try flag(10),
                source: fields[11])
            guard rules.updateValue(rule, forKey: state) == nil else {
                throw fail("state \(state) is listed twice")
            }
        }
        guard let federal = rules.removeValue(forKey: "US") else {
            throw ReferenceDataError(line: 1, reason: "the file has no US (federal) row")
        }
        self.federal = federal
        self.states = rules
        self.version = "rules-" + Self.fingerprint(csv)
    }

    /// The rule of a state, nil when the file has none.
    public func rule(for state: String) -> StateContactRule? { states[state.uppercased()] }

    /// The federal rule followed by the rules of each state given (unknown ones skipped).
    public func rules(for states: some Sequence<String>) -> [StateContactRule] {
        var seen: Set<String> = []
        var result = [federal]
        for state in states where seen.insert(state.uppercased()).inserted {
            if let rule = rule(for: state) { result.append(rule) }
        }
        return result
    }

    /// 64-bit FNV-1a of the text, as 16 hex digits.
    private static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
