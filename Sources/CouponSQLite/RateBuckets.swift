import CouponStore
import Foundation
import Synchronization

/// Token buckets in memory, one per key (a client address, a member): `perMinute`
/// requests at once, then one more every `60 / perMinute` seconds. How the SQLite store
/// counts `RateLimitRepository` requests: one server process owns an SQLite database,
/// so its memory is where the limit holds.
///
/// Time is the server's clock (the `Date` every request is admitted at), as for the
/// PostgreSQL store's windows, so a test that fixes the clock fixes the limit; a clock that
/// steps back refills nothing.
///
/// At most `maxKeys` buckets are kept: when full, the buckets that have refilled (they
/// are the same as new ones) are dropped first, then the least recently used.
public final class RateBuckets: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: Date
    }

    public let maxKeys: Int
    private let buckets = Mutex([String: Bucket]())

    public init(maxKeys: Int = 10_000) {
        self.maxKeys = maxKeys
    }

    /// Takes one token for `key` out of a bucket of `perMinute`: nil when allowed, else
    /// the whole seconds until one is free.
    public func take(_ key: String, perMinute: Int, at now: Date) -> Int? {
        let capacity = Double(max(1, perMinute))
        let perSecond = capacity / 60
        let maxKeys = self.maxKeys
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            let seconds = max(0, now.timeIntervalSince(bucket.updated))
            bucket.tokens = min(capacity, bucket.tokens + seconds * perSecond)
            bucket.updated = max(now, bucket.updated)
            defer {
                buckets[key] = bucket
                if buckets.count > maxKeys { Self.evict(&buckets, maxKeys: maxKeys, now: now) }
            }
            guard bucket.tokens >= 1 else {
                return max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
            }
            bucket.tokens -= 1
            return nil
        }
    }

    private static func evict(_ buckets: inout [String: Bucket], maxKeys: Int, now: Date) {
        buckets = buckets.filter { now.timeIntervalSince($0.value.updated) < 60 }
        while buckets.count > maxKeys, let oldest = buckets.min(by: { $0.value.updated < $1.value.updated }) {
            buckets[oldest.key] = nil
        }
    }
}
