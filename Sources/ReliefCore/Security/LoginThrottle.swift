import Foundation

/// When sign-in attempts must pause after failures: a growing delay per account, and a cap on
/// failures per IP address within a sliding window.
public struct LoginThrottlePolicy: Sendable {
    /// 5 free failures per account, then 30 s doubling to 15 min; 30 failures per IP per 15 min.
    public static let standard = LoginThrottlePolicy()

    /// How far back failures count.
    public var window: TimeInterval
    /// Failures an account may have in the window before attempts must wait.
    public var accountFailuresBeforeDelay: Int
    /// The first wait, doubled for every further failure.
    public var baseDelay: TimeInterval
    /// The longest wait for an account.
    public var maxDelay: TimeInterval
    /// Failures an IP address may have in the window before attempts from it must wait.
    public var ipFailuresPerWindow: Int

    public init(
        window: TimeInterval = 900,
        accountFailuresBeforeDelay: Int = 5,
        baseDelay: TimeInterval = 30,
        maxDelay: TimeInterval = 900,
        ipFailuresPerWindow: Int = 30
    ) {
        self.window = window
        self.accountFailuresBeforeDelay = accountFailuresBeforeDelay
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.ipFailuresPerWindow = ipFailuresPerWindow
    }

    /// Whether a sign-in attempt at `now` may proceed. Pass the account's failures since its last
    /// success and the IP address's recent failures; only those less than `window` old count.
    ///
    /// With n account failures and n ≥ `accountFailuresBeforeDelay`, attempts wait until the last
    /// failure plus `baseDelay` × 2^(n − `accountFailuresBeforeDelay`), at most `maxDelay`. With
    /// `ipFailuresPerWindow` or more IP failures, attempts wait until enough of them have aged out
    /// of the window to fall below the limit. When both apply, the later wait wins.
    public func decide(accountFailures: [Date], ipFailures: [Date], now: Date)
        -> LoginThrottleDecision
    {
        let waits = [accountWait(accountFailures, now: now), ipWait(ipFailures, now: now)]
        let latest = waits.compactMap { $0 }.max { $0.until < $1.until }
        guard let latest, latest.until > now else { return .allowed }
        return .wait(until: latest.until, reason: latest.reason)
    }

    private func accountWait(
        _ failures: [Date], now: Date
    ) -> (until: Date, reason: LoginThrottleReason)? {
        let counted = recent(failures, now: now)
        guard let last = counted.last, counted.count >= accountFailuresBeforeDelay else {
            return nil
        }
        let doublings = min(counted.count - accountFailuresBeforeDelay, 32)
        let delay = min(maxDelay, baseDelay * pow(2, Double(doublings)))
        return (last.addingTimeInterval(delay), .account)
    }

    private func ipWait(
        _ failures: [Date], now: Date
    ) -> (until: Date, reason: LoginThrottleReason)? {
        let limit = max(ipFailuresPerWindow, 1)
        let counted = recent(failures, now: now)
        guard counted.count >= limit else { return nil }
        // Once this failure ages out of the window, fewer than `limit` remain.
        let expiring = counted[counted.count - limit]
        return (expiring.addingTimeInterval(window), .ip)
    }

    /// The failures less than `window` before `now`, oldest first.
    private func recent(_ failures: [Date], now: Date) -> [Date] {
        let start = now.addingTimeInterval(-window)
        return failures.filter { $0 > start }.sorted()
    }
}

/// Whether a sign-in attempt may go ahead now.
public enum LoginThrottleDecision: Sendable, Equatable {
    case allowed
    /// Attempts must wait until the given time.
    case wait(until: Date, reason: LoginThrottleReason)
}

/// Which limit caused a wait: the account's failures or the IP address's.
public enum LoginThrottleReason: String, Sendable {
    case account
    case ip
}
