import CouponKit
import CouponServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
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
        // Verifications take 8 s, and /healthz must answer within 4 s: queued behind a
        // verification it would take at least 7.9 s, and the margin absorbs a loaded
        // machine (the whole suite runs in parallel on as few as two shared cores; 1.5 s
        // of margin was once not enough).
        let server = try TestServer(verifier: SlowVerifier(seconds: 8), verifyQueue: 0)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant)
            let member = try await client.join()
            let coupon = FakeCoupon(productId: product, issuerId: merchant.issuer.publicKey.id).base64
            // More orders at once than there are verifier threads (one per core), no queue.
            let orders = 2 * System.coreCount + 4
            let (statuses, health) = try await withThrowingTaskGroup(of: TestResponse?.self) { group in
                for _ in 0..<orders {
                    group.addTask { try await client.order(member, product: product, coupon: coupon) }
                }
                try await Task.sleep(for: .milliseconds(100))
                let start = ContinuousClock.now
                let health = try await client.execute(uri: "/healthz", method: .get)
                let healthTime = ContinuousClock.now - start
                var responses: [TestResponse] = []
                for try await response in group { if let response { responses.append(response) } }
                #expect(health.status == .ok)
                return (responses, healthTime)
            }
            #expect(health < .seconds(4), "healthz took \(health) while every verifier was busy")
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

/// ``FakeVerifier`` that takes its time, as a large coupon would.
struct SlowVerifier: FragileLayerStandIn {
    let seconds: Double

    func verifyFake(_ png: [UInt8], keys: KeyRing) throws(CouponFailure) -> VerifiedCoupon {
        Thread.sleep(forTimeInterval: seconds)
        return try FakeVerifier().verifyFake(png, keys: keys)
    }
}
