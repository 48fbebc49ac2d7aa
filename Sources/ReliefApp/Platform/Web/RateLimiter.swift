import Foundation
import NIOConcurrencyHelpers

/// A per-key token bucket in memory: each key may spend `perMinute` tokens a minute, with bursts
/// up to `burst`. For public endpoints (tracking pixels and beacons) that must answer a flood
/// without recording it. Keys idle for a few minutes are dropped, so memory stays bounded by the
/// keys seen recently. One node's view only.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    let perMinute: Int
    let burst: Int
    private let buckets = NIOLockedValueBox<[String: Bucket]>([:])
    private let lastSweep = NIOLockedValueBox(Date.distantPast)

    /// `perMinute` 0 turns the limiter off (every call is allowed).
    init(perMinute: Int, burst: Int? = nil) {
        self.perMinute = perMinute
        self.burst = burst ?? max(1, perMinute / 6)
    }

    /// Spends one token of `key` at `now`; false when its bucket is empty.
    func allow(_ key: String, now: Date) -> Bool {
        guard perMinute > 0 else { return true }
        let rate = Double(perMinute) / 60
        let allowed = buckets.withLockedValue { buckets -> Bool in
            var bucket = buckets[key] ?? Bucket(tokens: Double(burst), updated: now)
            let elapsed = max(0, now.timeIntervalSince(bucket.updated))
            bucket.tokens = min(Double(burst), bucket.tokens + elapsed * rate)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[key] = bucket
            return allowed
        }
        sweep(now: now)
        return allowed
    }

    /// Keys tracked now (for tests and metrics).
    var keyCount: Int { buckets.withLockedValue { $0.count } }

    /// Once a minute, drops buckets that have refilled completely (idle keys).
    private func sweep(now: Date) {
        let due = lastSweep.withLockedValue { last -> Bool in
            guard now.timeIntervalSince(last) >= 60 else { return false }
            last = now
            return true
        }
        guard due else { return }
        let refill = Double(burst) / (Double(perMinute) / 60)
        buckets.withLockedValue { buckets in
            buckets = buckets.filter { now.timeIntervalSince($0.value.updated) < refill }
        }
    }
}
