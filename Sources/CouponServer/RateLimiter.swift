import CouponKit
import Foundation
import HTTPTypes

/// A token bucket per key (a client address, a token's hash): `perMinute` requests at once, then one
/// more every `60 / perMinute` seconds. Buckets live in memory, per server process.
/// At most ``maxKeys`` are kept: when full, the buckets that have refilled (they are the
/// same as new ones) are dropped first, then the least recently used.
final class RateLimiter: @unchecked Sendable {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let perMinute: Int
    let maxKeys: Int
    private let lock = NSLock()
    private var buckets: [String: Bucket] = [:]

    init(perMinute: Int, maxKeys: Int = 10_000) {
        self.perMinute = perMinute
        self.maxKeys = maxKeys
    }

    /// Takes one token for `key`: nil when allowed, else the whole seconds until one is free.
    func take(_ key: String, now: ContinuousClock.Instant = .now) -> Int? {
        let capacity = Double(perMinute)
        let perSecond = capacity / 60
        return lock.withLock {
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + seconds * perSecond)
            bucket.updated = now
            defer {
                buckets[key] = bucket
                if buckets.count > maxKeys { evict(now: now) }
            }
            guard bucket.tokens >= 1 else {
                return max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
            }
            bucket.tokens -= 1
            return nil
        }
    }

    /// Takes one token for `key`, or refuses with 429 `rate_limited`: "too many `what`;
    /// retry in N s", with `Retry-After: N`. What every limited route answers.
    func admit(_ key: String, tooMany what: String) throws(Problem) {
        if let wait = take(key) {
            throw Problem(
                .rateLimited, detail: "too many \(what); retry in \(wait) s", headers: [.retryAfter: String(wait)])
        }
    }

    /// Called with the lock held.
    private func evict(now: ContinuousClock.Instant) {
        let refill = Duration.seconds(60)
        buckets = buckets.filter { now - $0.value.updated < refill }
        while buckets.count > maxKeys, let oldest = buckets.min(by: { $0.value.updated < $1.value.updated }) {
            buckets[oldest.key] = nil
        }
    }
}
