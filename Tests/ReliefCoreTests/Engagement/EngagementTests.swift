import Foundation
import ReliefCore
import Testing

/// The engagement suites, nested here so that `swift test --filter Engagement` runs them all.
@Suite("Engagement")
enum EngagementTests {
    /// A fixed instant the tests count from.
    static let start = Date(timeIntervalSince1970: 1_750_000_000)

    /// `start` plus `seconds`.
    static func at(_ seconds: TimeInterval) -> Date {
        start.addingTimeInterval(seconds)
    }

    /// Whether `actual` is within 1e-9 of `expected`, relative to the larger of the two (and
    /// absolute below 1).
    static func isClose(_ actual: Double, _ expected: Double) -> Bool {
        abs(actual - expected) <= 1e-9 * max(1, abs(actual), abs(expected))
    }
}
