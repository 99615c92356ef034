import CouponKit
import CouponServer
import CouponStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StoreTestSupport
import Testing

/// Orders verify with a key ring the server caches (re-read every second at most): keys
/// added while it runs, by this process or another, verify at once, because a coupon
/// naming an epoch or issuer the cached ring lacks makes the server read the ring again.
@Suite struct KeyRingFreshnessTests {
    @Test(arguments: StoreKind.allCases) func rotatedEpochAndNewMerchantVerifyAtOnce(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let first = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(first, price: 1000)
            let member = try await client.join()
            let coupon = FakeCoupon(productId: product, issuerId: first.issuer.publicKey.id)
            #expect(try await client.order(member, product: product, coupon: coupon.base64).status == .created)

            try await server.store.rotateRevealKey()
            // No pause: only a re-read that found nothing new makes the next one wait
            // (KeyRingReloadLimitTests), so a real new epoch or issuer is found at once.
            let rotated = FakeCoupon(productId: product, issuerId: first.issuer.publicKey.id, epoch: 2)
            #expect(try await client.order(member, product: product, coupon: rotated.base64).status == .created)

            let second = try await server.addMerchant(name: "Other")
            let other = try await client.createProduct(second, price: 500)
            let theirs = FakeCoupon(productId: other, issuerId: second.issuer.publicKey.id)
            #expect(try await client.order(member, product: other, coupon: theirs.base64).status == .created)

            let unknown = FakeCoupon(productId: product, issuerId: first.issuer.publicKey.id, epoch: 3)
            try expectProblem(
                try await client.order(member, product: product, coupon: unknown.base64), .unprocessableContent,
                "coupon_unknown_epoch")
        }
    }
}
