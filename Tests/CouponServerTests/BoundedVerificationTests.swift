import CouponKit
import CouponServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// Verification is bounded: images over the pixel limit are refused from their header,
/// and when every verifier is busy and the queue is full an order is answered 503 at once
/// while the rest of the server keeps answering.
@Suite struct BoundedVerificationTests {
    @Test(arguments: [
        (UInt32(2000), UInt32(2000), "coupon_unreadable"),  // exactly at the limit: decoded (and found broken)
        (2001, 2000, "coupon_too_large"),
    ])
    func thePixelLimitIsJudgedFromTheHeader(width: UInt32, height: UInt32, code: String) async throws {
        let server = try TestServer(verifier: nil, maxCouponPixels: 4_000_000)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant)
            let member = try await client.join()
            let png = BadInputTests.claimingPNG(width: width, height: height)
            let response = try await client.order(member, product: product, coupon: Data(png).base64EncodedString())
            try expectProblem(response, .unprocessableContent, code)
            let rejections = try #require(try await client.history(member)["rejections"] as? [[String: Any]])
            #expect(rejections.map { $0["code"] as? String } == [code])
        }
    }

    @Test func aFullQueueIsAnsweredBusyAndNothingElseWaits() async throws {
        // Verifications wait at a gate the test opens only after /healthz has answered:
        // had /healthz queued behind them, it could not answer at all (events, not a time
        // bound, so a loaded machine cannot make this fail or pass by chance).
        let gate = VerifierGate()
        let server = try TestServer(verifier: SlowVerifier(gate: gate), verifyQueue: 0)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant)
            let member = try await client.join()
            let coupon = FakeCoupon(productId: product, issuerId: merchant.issuer.publicKey.id).base64
            // More orders at once than there are verifier threads (one per core), no queue.
            let orders = 2 * System.coreCount + 4
            let statuses = try await withThrowingTaskGroup(of: TestResponse?.self) { group in
                for _ in 0..<orders {
                    group.addTask { try await client.order(member, product: product, coupon: coupon) }
                }
                // Every verifier thread holds a verification (or 60 s passed: then the
                // orders never reached them, and the counts below say so).
                await gate.waitForArrivals(System.coreCount, deadline: .seconds(60))
                let health = try await client.execute(uri: "/healthz", method: .get)
                #expect(health.status == .ok, "healthz while every verifier was busy")
                gate.open()
                var responses: [TestResponse] = []
                for try await response in group { if let response { responses.append(response) } }
                return responses
            }
            let busy = statuses.filter { $0.status == .serviceUnavailable }
            #expect(statuses.filter { $0.status == .created }.count >= 1)
            #expect(busy.count >= orders - 2 * System.coreCount, "\(busy.count) of \(orders) were refused busy")
            for response in busy {
                try expectProblem(response, .serviceUnavailable, "server_busy")
                #expect(response.headers[.retryAfter] == "1")
            }
            // A busy server refused nothing of the member's: no history rows for it.
            let rejections = try #require(try await client.history(member)["rejections"] as? [[String: Any]])
            #expect(rejections.isEmpty)
        }
    }
}

/// ``FakeVerifier`` that waits at a ``VerifierGate`` until the test opens it, as a large
/// coupon would keep a verifier thread busy.
struct SlowVerifier: FragileLayerStandIn {
    let gate: VerifierGate

    func verifyFake(_ png: [UInt8], keys: KeyRing) throws(CouponFailure) -> VerifiedCoupon {
        gate.pass()
        return try FakeVerifier().verifyFake(png, keys: keys)
    }
}

/// Where ``SlowVerifier``s wait (on the verifier threads, blocking them), counted, until
/// the test opens it.
final class VerifierGate: Sendable {
    private let state = Mutex((arrived: 0, open: false))
    private let opened = DispatchSemaphore(value: 0)

    /// Called on a verifier thread: counts the arrival and blocks until ``open()``.
    func pass() {
        let mustWait = state.withLock { state in
            state.arrived += 1
            return !state.open
        }
        if mustWait {
            opened.wait()
            opened.signal()  // the next waiter passes too
        }
    }

    func open() {
        state.withLock { $0.open = true }
        opened.signal()
    }

    /// Until `count` verifications are waiting at the gate, or `deadline` has passed.
    func waitForArrivals(_ count: Int, deadline: Duration) async {
        let end = ContinuousClock.now + deadline
        while state.withLock({ $0.arrived }) < count, ContinuousClock.now < end {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}
