import Foundation
import CouponKit
import CouponStore
import NIOConcurrencyHelpers

/// The key ring coupons are verified with, read from the store at most once per
/// `maxAge` instead of on every order (two queries and the parsing of every issuer
/// key). Keys change in other processes too (`coupon-server keys rotate`, `merchant
/// add`), so the ring is also read again when a coupon names an epoch or an issuer the
/// cached ring does not hold; after such a read that found nothing new, the next one waits
/// `minReload` (a stream of forged coupons naming unknown epochs must not become a
/// stream of database reads, while a real new epoch is still found at once). An epoch
/// retired by `coupon-server keys retire` is refused within `maxAge`.
///
/// The ring carries the server's own public keys too (``KeyRing/serverKeys``: what
/// verifies personal copies' bindings), and the cache keeps the current private one for
/// signing new bindings (``signingKey()``); the store makes the first on the first read.
final class KeyRingCache<Repository: KeyRepository & ServerKeyRepository>: Sendable {
    private struct State {
        var cached: (ring: KeyRing, readAt: ContinuousClock.Instant)?
        var signing: ServerKey?
        /// When a read forced by an unknown epoch or issuer last found the same keys.
        var fruitlessReloadAt: ContinuousClock.Instant?
    }

    private let repository: Repository
    private let maxAge: Duration
    private let minReload: Duration
    private let state = NIOLockedValueBox(State())

    init(repository: Repository, maxAge: Duration = .seconds(1), minReload: Duration = .milliseconds(250)) {
        self.repository = repository
        self.maxAge = maxAge
        self.minReload = minReload
    }

    /// The cached ring while it is younger than `maxAge`, else a fresh read.
    func current() async throws -> KeyRing {
        let now = ContinuousClock.now
        if let entry = state.withLockedValue({ $0.cached }), now - entry.readAt < maxAge { return entry.ring }
        return try await reload()
    }

    /// Reads the ring from the store and caches it.
    @discardableResult func reload() async throws -> KeyRing {
        let readAt = ContinuousClock.now
        var ring = try await repository.keyRing()
        let serverKeys = try await repository.ensureServerKeys(at: Date())
        ring.serverKeys = serverKeys.map(\.publicKey)
        let signing = serverKeys.first { $0.retiredAt == nil }?.key
        state.withLockedValue {
            if $0.cached.map({ $0.readAt < readAt }) ?? true { ($0.cached, $0.signing) = ((ring, readAt), signing) }
        }
        return ring
    }

    /// The server key that signs new bindings: the current one as of the ring's last read
    /// (a rotation on another instance is seen within `maxAge`; until then this one still
    /// signs, and what it signs still verifies).
    func signingKey() async throws -> ServerKey {
        if let key = state.withLockedValue({ $0.signing }), let cached = state.withLockedValue({ $0.cached }),
            ContinuousClock.now - cached.readAt < maxAge
        {
            return key
        }
        try await reload()
        guard let key = state.withLockedValue({ $0.signing }) else { throw ServerKeyError.noCurrentKey }
        return key
    }

    /// Runs `work` with the cached ring on `pool`; when it fails because the coupon names
    /// an epoch or issuer the ring does not hold, reads the ring again and, if the store
    /// now holds other keys, runs it again. Returns the ring that answered too.
    func read<Value: Sendable>(
        on pool: VerificationPool, _ work: @escaping @Sendable (KeyRing) throws -> Value
    ) async throws -> (value: Value, ring: KeyRing) {
        let ring = try await current()
        do {
            return (try await pool.run { try work(ring) }, ring)
        } catch let error as CouponFailure {
            guard let fresh = try await newerRing(than: ring, after: error) else { throw error }
            return (try await pool.run { try work(fresh) }, fresh)
        }
    }

    /// Vouches for terms an upload verified (`StoredCoupon/verified`) with today's ring,
    /// without opening anything: the epoch must still be held (its retirement is noted) and
    /// the issuer still known, reading the ring again as `read(on:_:)` would when either
    /// is missing.
    func vouch(for verified: VerifiedTerms) async throws -> VerifiedCoupon {
        var ring = try await current()
        if let failure = Self.missing(verified, in: ring) {
            guard let fresh = try await newerRing(than: ring, after: failure) else { throw failure }
            if let failure = Self.missing(verified, in: fresh) { throw failure }
            ring = fresh
        }
        return VerifiedCoupon(
            terms: verified.terms, epoch: verified.epoch, tampered: false,
            keyRetired: ring.retiredEpochs.contains(verified.epoch))
    }

    /// A ring read again after `failure`, when the failure might be a key this process
    /// has not seen yet and the store holds other keys now; nil otherwise.
    private func newerRing(than ring: KeyRing, after failure: CouponFailure) async throws -> KeyRing? {
        switch failure {
        case .unknownEpoch, .badSignature: break
        case .unreadable, .badSeal: return nil
        }
        let fruitless = state.withLockedValue { $0.fruitlessReloadAt }
        if let fruitless, ContinuousClock.now - fruitless < minReload { return nil }
        let fresh = try await reload()
        guard Self.fingerprint(fresh) != Self.fingerprint(ring) else {
            state.withLockedValue { $0.fruitlessReloadAt = .now }
            return nil
        }
        return fresh
    }

    private static func missing(_ verified: VerifiedTerms, in ring: KeyRing) -> CouponFailure? {
        if ring.revealKey(epoch: verified.epoch) == nil { return .unknownEpoch(verified.epoch) }
        if ring.issuer(id: verified.terms.issuerId) == nil {
            return .badSignature("unknown issuer \(verified.terms.issuerId)")
        }
        return nil
    }

    private static func fingerprint(_ ring: KeyRing) -> [[UInt8]] {
        ring.revealKeys.map { withUnsafeBytes(of: $0.epoch.bigEndian, Array.init) + $0.rawBytes }
            + ring.issuers.map(\.rawBytes) + ring.serverKeys.map { Array($0.base64.utf8) }
    }
}

/// The store returned no current server key (it always makes one; a fault).
enum ServerKeyError: Error {
    case noCurrentKey
}
