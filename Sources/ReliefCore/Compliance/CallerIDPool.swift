import Foundation

/// Whether a caller id number may be used for outbound calls.
public enum CallerIDHealth: String, Sendable, Codable, CaseIterable {
    /// In use.
    case healthy
    /// At its daily cap; back to healthy on the next day's review.
    case resting
    /// Answered far less than the rest of the pool (carriers probably label it spam); out of
    /// use until a manager restores it.
    case flagged
}

/// One number of an organization's caller id pool, with its counts for the picker and the
/// health review.
public struct CallerIDCandidate: Sendable, Equatable {
    public var id: UUID
    /// The ten national digits, area code first.
    public var nationalDigits: String
    /// The number's area code (its first three digits).
    public var areaCode: String
    /// The two-letter state of the area code, when known.
    public var state: String?
    /// The IANA time zone of the area code, when known.
    public var timeZone: String?
    public var health: CallerIDHealth
    /// Outbound calls placed from the number today (in the organization's day).
    public var callsToday: Int
    /// The most calls a day before the number rests.
    public var dailyCap: Int
    /// Outbound calls over the last 7 days, and how many of them were answered.
    public var calls7Days: Int
    public var answered7Days: Int
    public var lastUsedAt: Date?

    public init(
        id: UUID, nationalDigits: String, areaCode: String, state: String?, timeZone: String?,
        health: CallerIDHealth, callsToday: Int, dailyCap: Int, calls7Days: Int,
        answered7Days: Int, lastUsedAt: Date?
    ) {
        self.id = id
        self.nationalDigits = nationalDigits
        self.areaCode = areaCode
        self.state = state
        self.timeZone = timeZone
        self.health = health
        self.callsToday = callsToday
        self.dailyCap = dailyCap
        self.calls7Days = calls7Days
        self.answered7Days = answered7Days
        self.lastUsedAt = lastUsedAt
    }

    /// Answered calls over calls in the last 7 days; nil without calls.
    public var answerRate7Days: Double? {
        calls7Days > 0 ? Double(answered7Days) / Double(calls7Days) : nil
    }

    /// Whether the picker may use the number now: healthy and under its daily cap.
    public var isAvailable: Bool { health == .healthy && callsToday < dailyCap }
}

/// The number chosen for a call and why.
public struct CallerIDPick: Sendable, Equatable {
    /// How close the number is to the lead.
    public enum Match: String, Sendable, Codable, CaseIterable {
        case areaCode, state, timeZone, any
    }

    public var candidate: CallerIDCandidate
    public var match: Match
    /// One sentence for the call log: which number, why it matched, and its use today.
    public var explanation: String
}

/// The rules for the caller id health review.
public struct CallerIDHealthPolicy: Sendable, Equatable {
    /// The calls over 7 days a number needs before its answer rate is judged, and that the
    /// rest of the pool needs to serve as the yardstick.
    public var minimumCallsToJudge: Int
    /// A number is flagged when its answer rate is below this fraction of the rest of the
    /// pool's rate.
    public var flagBelowFractionOfPoolRate: Double

    public init(minimumCallsToJudge: Int = 30, flagBelowFractionOfPoolRate: Double = 0.5) {
        self.minimumCallsToJudge = minimumCallsToJudge
        self.flagBelowFractionOfPoolRate = flagBelowFractionOfPoolRate
    }
}

/// A health change the review decided for one number.
public struct CallerIDHealthChange: Sendable, Equatable {
    public var id: UUID
    public var from: CallerIDHealth
    public var to: CallerIDHealth
    /// Why, in one sentence for the manager's page and the audit log.
    public var reason: String

    public init(id: UUID, from: CallerIDHealth, to: CallerIDHealth, reason: String) {
        self.id = id
        self.from = from
        self.to = to
        self.reason = reason
    }
}

/// Chooses the caller id for a call, and reviews the pool's health.
public enum CallerIDPicker {
    /// The number to call a lead from, among available numbers only (healthy and under their
    /// daily cap): one in the lead's area code if any, else in the lead's state (compared
    /// without case), else in one of the lead's time zones, else any. Within that group, the
    /// number with the fewest calls today, then the least recently used (never used first),
    /// then the smallest id, so use spreads evenly and the choice is repeatable. Nil when no
    /// number is available.
    public static func pick(
        leadAreaCode: String?, leadState: String?, leadTimeZones: [String],
        from pool: [CallerIDCandidate]
    ) -> CallerIDPick? {
        let available = pool.filter(\.isAvailable)
        let state = leadState?.uppercased()
        let tiers: [(CallerIDPick.Match, (CallerIDCandidate) -> Bool)] = [
            (.areaCode, { leadAreaCode != nil && $0.areaCode == leadAreaCode }),
            (.state, { state != nil && $0.state?.uppercased() == state }),
            (.timeZone, { $0.timeZone.map(leadTimeZones.contains) ?? false }),
            (.any, { _ in true }),
        ]
        for (match, fits) in tiers {
            guard let best = available.filter(fits).min(by: isPreferred) else { continue }
            return CallerIDPick(
                candidate: best, match: match,
                explanation: explanation(best, match, leadAreaCode, state, leadTimeZones))
        }
        return nil
    }

    /// The health changes for today, in pool order:
    /// - **flag** a healthy or resting number that has at least `minimumCallsToJudge` calls in
    ///   7 days and answers below `flagBelowFractionOfPoolRate` of the rest of the pool's rate
    ///   (answered over calls of every other number not flagged, which also need
    ///   `minimumCallsToJudge` calls between them and at least one answer). The number itself
    ///   is left out of the yardstick, so a bad number cannot drag it down, and a pool of one
    ///   never flags.
    /// - **rest** a healthy number at or over its daily cap;
    /// - **return to healthy** a resting number under its cap again (a new day's counts).
    ///
    /// A flagged number never changes here: only a manager restores it.
    public static func review(
        _ pool: [CallerIDCandidate], policy: CallerIDHealthPolicy = CallerIDHealthPolicy()
    ) -> [CallerIDHealthChange] {
        let judged = pool.filter { $0.health != .flagged }
        let totalCalls = judged.reduce(0) { $0 + $1.calls7Days }
        let totalAnswered = judged.reduce(0) { $0 + $1.answered7Days }
        var changes: [CallerIDHealthChange] = []
        for number in judged {
            if let rate = number.answerRate7Days, number.calls7Days >= policy.minimumCallsToJudge {
                let restCalls = totalCalls - number.calls7Days
                let restAnswered = totalAnswered - number.answered7Days
                if restCalls >= policy.minimumCallsToJudge, restAnswered > 0 {
                    let poolRate = Double(restAnswered) / Double(restCalls)
                    if rate < poolRate * policy.flagBelowFractionOfPoolRate {
                        let reason =
                            "Answered \(number.answered7Days) of \(number.calls7Days) calls "
                            + "in 7 days (\(percent(rate))), below "
                            + "\(percent(policy.flagBelowFractionOfPoolRate)) of the rest of "
                            + "the pool's \(percent(poolRate)); carriers may label it spam."
                        changes.append(change(number, to: .flagged, reason))
                        continue
                    }
                }
            }
            if number.health == .healthy, number.callsToday >= number.dailyCap {
                let reason = "Reached its daily cap of \(number.dailyCap) calls."
                changes.append(change(number, to: .resting, reason))
            } else if number.health == .resting, number.callsToday < number.dailyCap {
                let reason =
                    "Under its daily cap again (\(number.callsToday) of \(number.dailyCap) "
                    + "calls today)."
                changes.append(change(number, to: .healthy, reason))
            }
        }
        return changes
    }

    private static func isPreferred(_ a: CallerIDCandidate, over b: CallerIDCandidate) -> Bool {
        if a.callsToday != b.callsToday { return a.callsToday < b.callsToday }
        switch (a.lastUsedAt, b.lastUsedAt) {
        case (nil, .some): return true
        case (.some, nil): return false
        case (.some(let x), .some(let y)) where x != y: return x < y
        default: return a.id.uuidString < b.id.uuidString
        }
    }

    private static func explanation(
        _ number: CallerIDCandidate, _ match: CallerIDPick.Match, _ areaCode: String?,
        _ state: String?, _ timeZones: [String]
    ) -> String {
        let reason =
            switch match {
            case .areaCode: "in the lead's area code \(areaCode ?? "")"
            case .state: "in the lead's state \(state ?? "")"
            case .timeZone: "in the lead's time zone \(number.timeZone ?? "")"
            case .any: "no number in the lead's area code, state or time zone"
            }
        let digits = number.nationalDigits
        let formatted = (try? PhoneNumber.parse(digits))?.formatted ?? digits
        return "\(formatted), \(reason) (\(number.callsToday) of \(number.dailyCap) calls today)."
    }

    private static func change(
        _ number: CallerIDCandidate, to health: CallerIDHealth, _ reason: String
    ) -> CallerIDHealthChange {
        CallerIDHealthChange(id: number.id, from: number.health, to: health, reason: reason)
    }

    private static func percent(_ fraction: Double) -> String {
        "\(Int((fraction * 100).rounded()))%"
    }
}
