import CouponKit
import CouponStore
import Foundation

/// The key ring coupons are verified with, read from the store at most once per
/// ``maxAge`` instead of on every order (two queries and the parsing of every issuer
/// key). Keys change in other processes too (`coupon-server keys rotate`, `merchant
/// add`), so the ring is also read again when a coupon names an epoch or an issuer the
/// cached ring does not hold; after such a read that found nothing new, the next one waits
/// ``minReload`` (a stream of forged coupons naming unknown epochs must not become a
/// stream of database reads, while a real new epoch is still found at once). An epoch
/// retired by `coupon-server keys retire` is refused within ``maxAge``.
final class KeyRingCache<Repository: KeyRepository>: @unchecked Sendable {
    private let repository: Repository
    private let maxAge: Duration
    private let minReload: Duration
    private let lock = NSLock()
    private var cached: (ring: KeyRing, readAt: ContinuousClock.Instant)?
    /// When a read forced by an unknown epoch or issuer last found the same keys.
    private var fruitlessReloadAt: ContinuousClock.Instant?

    init(repository: Repository, maxAge: Duration = .seconds(1), minReload: Duration = .milliseconds(250)) {
        self.repository = repository
        self.maxAge = maxAge
        self.minReload = minReload
    }

    /// The cached ring while it is younger than ``maxAge``, else a fresh read.
    func current() async throws -> KeyRing {
        let now = ContinuousClock.now
        if let entry = lock.withLock({ self.cached }), now - entry.readAt < maxAge { return entry.ring }
        return try await reload()
    }

    /// Reads the ring from the store and caches it.
    @discardableResult func reload() async throws -> KeyRing {
        let readAt = ContinuousClock.now
        let ring = try await repository.keyRing()
        lock.withLock {
            if cached.map({ $0.readAt < readAt }) ?? true { cached = (ring, readAt) }
        }
        return ring
    }

    /// Verifies with the cached ring, on `pool`; when the coupon names an epoch or issuer
    /// it does not hold, reads the ring again and, if the store now holds other keys,
    /// verifies again.
    func verify(png: [UInt8], with verifier: any CouponVerifier, on pool: VerificationPool) async throws
        -> VerifiedCoupon
    {
        let ring = try await current()
        do {
            return try await Self.verify(png: png, with: verifier, keys: ring, on: pool)
        } catch let error as CouponFailure {
            switch error {
            case .unknownEpoch, .badSignature: break
            case .unreadable, .badSeal: throw error
            }
            let fruitless = lock.withLock { fruitlessReloadAt }
            if let fruitless, ContinuousClock.now - fruitless < minReload { throw error }
            let fresh = try await reload()
            guard Self.fingerprint(fresh) != Self.fingerprint(ring) else {
                lock.withLock { fruitlessReloadAt = .now }
                throw error
            }
            return try await Self.verify(png: png, with: verifier, keys: fresh, on: pool)
        }
    }

    /// Verifies on `pool` and notes whether the coupon's epoch is retired in `keys`.
    private static func verify(png: [UInt8], with verifier: any CouponVerifier, keys: KeyRing, on pool: VerificationPool)
        async throws -> VerifiedCoupon
    {
        var coupon = try await pool.run { try verifier.verify(png: png, keys: keys) }
        coupon.keyRetired = keys.retiredEpochs.contains(coupon.epoch)
        return coupon
    }

    private static func fingerprint(_ ring: KeyRing) -> [[UInt8]] {
        ring.revealKeys.map { withUnsafeBytes(of: $0.epoch.bigEndian, Array.init) + $0.rawBytes }
            + ring.issuers.map(\.rawBytes)
    }
}
