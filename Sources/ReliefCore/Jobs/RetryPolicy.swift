import Foundation

/// When a failed job runs again: exponential backoff with jitter, up to a number of attempts,
/// after which the job is dead.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// Delay after the first failure.
    public var baseDelay: TimeInterval
    /// The longest delay between two attempts.
    public var maxDelay: TimeInterval
    /// Spread of the random factor: 0.5 means the delay is multiplied by 0.5...1.5.
    public var jitter: Double

    public init(
        maxAttempts: Int = 8, baseDelay: TimeInterval = 10, maxDelay: TimeInterval = 3600,
        jitter: Double = 0.5
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = min(max(jitter, 0), 1)
    }

    /// What to do after attempt number `attempt` (1-based) failed.
    public enum Decision: Sendable, Equatable {
        case retry(after: TimeInterval)
        case giveUp
    }

    /// The decision after a failed `attempt`; `random` is a number in 0..<1 (injected so
    /// tests are exact).
    public func afterFailure(attempt: Int, random: Double) -> Decision {
        guard attempt < maxAttempts else { return .giveUp }
        let exponential = baseDelay * pow(2, Double(max(0, attempt - 1)))
        let capped = min(maxDelay, exponential)
        let factor = 1 - jitter + 2 * jitter * min(max(random, 0), 1)
        return .retry(after: max(0, capped * factor))
    }
}
