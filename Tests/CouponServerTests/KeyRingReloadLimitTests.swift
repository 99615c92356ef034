import CouponKit
import CouponStore
import Foundation
import RobustMark
import Synchronization
import Testing

@testable import CouponServer

/// Coupons naming an epoch the cached ring lacks make the server read the ring again,
/// but a flood of them (forgeries) reads it at most once per `minReload`.
@Suite struct KeyRingReloadLimitTests {
    final class CountingKeys: KeyRepository, ServerKeyRepository, Sendable {
        private let readCount = Mutex(0)
        let ring = KeyRing(revealKeys: [RevealKey(epoch: 1)])
        let serverKey = StoredServerKey(key: ServerKey(), createdAt: "2026-12-08T00:00:00Z", retiredAt: nil)

        var reads: Int { readCount.withLock { $0 } }

        func keyRing() async throws -> KeyRing {
            readCount.withLock { $0 += 1 }
            return ring
        }
        func ensureRevealKey() async throws -> RevealKey { ring.revealKeys[0] }
        func rotateRevealKey() async throws -> RevealKey { ring.revealKeys[0] }
        func ensureServerKeys(at date: Date) async throws -> [StoredServerKey] { [serverKey] }
        func rotateServerKey(at date: Date) async throws -> StoredServerKey { serverKey }
    }

    @Test func aFloodOfUnknownEpochsReadsTheRingRarely() async throws {
        let keys = CountingKeys()
        // Ages far beyond the test's run, however loaded the machine: only the forced
        // reads count.
        let cache = KeyRingCache(repository: keys, maxAge: .seconds(86_400), minReload: .seconds(86_400))
        let pool = VerificationPool(queue: 8)
        let forged = FakeCoupon(productId: "p", issuerId: "i", epoch: 99).bytes
        for _ in 0..<100 {
            await #expect(throws: CouponFailure.unknownEpoch(99)) {
                try await cache.read(on: pool) { ring in try FakeVerifier().verifyFake(forged, keys: ring) }
            }
        }
        // The first forgery reads the ring again (it might name a new epoch); finding
        // nothing new, the next 99 wait out `minReload`.
        #expect(keys.reads == 2, "read the ring \(keys.reads) times")

        // With no pause between reloads, each forgery would have cost a read.
        let eager = KeyRingCache(repository: keys, maxAge: .seconds(86_400), minReload: .zero)
        for _ in 0..<10 { _ = try? await eager.read(on: pool) { ring in try FakeVerifier().verifyFake(forged, keys: ring) } }
        #expect(keys.reads == 2 + 10 + 1)
    }
}
