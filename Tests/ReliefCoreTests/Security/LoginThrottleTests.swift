import Foundation
import ReliefCore
import Testing

@Suite("Login throttle")
struct LoginThrottleTests {
    let policy = LoginThrottlePolicy.standard
    let now = Date(timeIntervalSince1970: 1_750_000_000)

    /// Failures `secondsAgo` before `now`.
    func failures(_ secondsAgo: [TimeInterval]) -> [Date] {
        secondsAgo.map { now.addingTimeInterval(-$0) }
    }

    @Test func allowsAttemptsBelowTheAccountLimit() {
        let decision = policy.decide(
            accountFailures: failures([10, 20, 30, 40]), ipFailures: [], now: now)

        #expect(decision == .allowed)
    }

    @Test func theFifthFailureStartsTheBaseDelay() {
        let decision = policy.decide(
            accountFailures: failures([10, 20, 30, 40, 50]), ipFailures: [], now: now)

        #expect(decision == .wait(until: now.addingTimeInterval(20), reason: .account))
    }

    @Test func theDelayDoublesWithEveryFurtherFailure() {
        let sixth = policy.decide(
            accountFailures: failures([5, 20, 30, 40, 50, 60]), ipFailures: [], now: now)
        let eighth = policy.decide(
            accountFailures: failures([5, 20, 30, 40, 50, 60, 70, 80]), ipFailures: [], now: now)

        #expect(sixth == .wait(until: now.addingTimeInterval(55), reason: .account))
        #expect(eighth == .wait(until: now.addingTimeInterval(235), reason: .account))
    }

    @Test func theDelayStopsGrowingAtTheMaximum() {
        let many = failures((1...20).map { Double($0) })

        let decision = policy.decide(accountFailures: many, ipFailures: [], now: now)

        #expect(decision == .wait(until: now.addingTimeInterval(899), reason: .account))
    }

    @Test func allowsAnAttemptOnceTheDelayHasPassed() {
        let decision = policy.decide(
            accountFailures: failures([31, 40, 50, 60, 70]), ipFailures: [], now: now)

        #expect(decision == .allowed)
    }

    @Test func failuresOutsideTheWindowDoNotCount() {
        let decision = policy.decide(
            accountFailures: failures([10, 20, 30, 40, 900, 1000]), ipFailures: [], now: now)

        #expect(decision == .allowed)
    }

    @Test func theIPLimitWaitsUntilTheOldestFailureLeavesTheWindow() {
        let ip = failures((0..<30).map { Double(100 + $0 * 10) })

        let decision = policy.decide(accountFailures: [], ipFailures: ip, now: now)

        #expect(decision == .wait(until: now.addingTimeInterval(900 - 390), reason: .ip))
        #expect(
            policy.decide(accountFailures: [], ipFailures: Array(ip.dropLast()), now: now)
                == .allowed)
    }

    @Test func beyondTheIPLimitItWaitsUntilTheCountDropsBelowIt() {
        let ip = failures((0..<32).map { Double(100 + $0 * 10) })

        let decision = policy.decide(accountFailures: [], ipFailures: ip, now: now)

        // The three oldest (410, 400 and 390 s ago) must age out to leave 29.
        #expect(decision == .wait(until: now.addingTimeInterval(900 - 390), reason: .ip))
    }

    @Test func theLaterOfTheTwoWaitsWins() {
        let account = failures([10, 20, 30, 40, 50, 60, 70, 80])
        let ip = failures((0..<30).map { Double(100 + $0 * 10) })

        let decision = policy.decide(accountFailures: account, ipFailures: ip, now: now)
        let shortIPWait = policy.decide(
            accountFailures: account, ipFailures: failures((0..<30).map { Double(800 + $0) }),
            now: now)

        #expect(decision == .wait(until: now.addingTimeInterval(510), reason: .ip))
        #expect(shortIPWait == .wait(until: now.addingTimeInterval(230), reason: .account))
    }

    @Test func followsACustomPolicy() {
        let custom = LoginThrottlePolicy(
            window: 60, accountFailuresBeforeDelay: 2, baseDelay: 10, maxDelay: 15,
            ipFailuresPerWindow: 5)

        #expect(
            custom.decide(accountFailures: failures([1, 2]), ipFailures: [], now: now)
                == .wait(until: now.addingTimeInterval(9), reason: .account))
        #expect(
            custom.decide(accountFailures: failures([1, 2, 3]), ipFailures: [], now: now)
                == .wait(until: now.addingTimeInterval(14), reason: .account))
        #expect(
            custom.decide(accountFailures: [], ipFailures: failures([1, 2, 3, 4, 59]), now: now)
                == .wait(until: now.addingTimeInterval(1), reason: .ip))
    }
}
