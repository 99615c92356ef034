import CouponKit
import CouponServer
import CouponStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import StoreTestSupport
import Testing

/// What the anonymous catalog hands out, and what a merchant can withdraw: unlisted
/// coupons are recognised but never handed out; revoking the newest coupon does not
/// uncover an older private one; coupons of a retired epoch are not handed out; any
/// serial of the merchant's issuer can be revoked, uploaded or not.
@Suite struct CatalogListingTests {
    static func upload(
        _ client: some TestClientProtocol, _ merchant: TestMerchant, product: String, _ coupon: FakeCoupon, listed: Bool? = nil
    ) async throws -> TestResponse {
        var headers = bearer(merchant.token) + [HTTPField(name: .contentType, value: "image/png")]
        if let listed { headers[HTTPField.Name("Coupon-Listed")!] = listed ? "true" : "false" }
        headers[HTTPField.Name("Coupon-Title")!] = coupon.title
        return try await client.execute(
            uri: "/v1/merchant/products/\(product)/coupons", method: .post, headers: headers,
            body: ByteBuffer(bytes: coupon.bytes))
    }

    static func catalogCoupon(_ client: some TestClientProtocol, product: String) async throws -> TestResponse {
        try await client.execute(uri: "/v1/products/\(product)/coupon", method: .get)
    }

    static func titles(_ client: some TestClientProtocol, product: String) async throws -> [String] {
        let body = try json(try await client.execute(uri: "/v1/products/\(product)", method: .get))
        return (body["coupons"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
    }

    /// The attack as found: a 90 % staff coupon uploaded so that its copies are
    /// recognised, then a public one; revoking the public one made the anonymous catalog
    /// serve the staff coupon.
    @Test(arguments: StoreKind.allCases) func revokingTheNewestNeverUncoversAnUnlistedCoupon(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant)
            let issuer = merchant.issuer.publicKey.id
            let staff = FakeCoupon(productId: product, rateBasisPoints: 9000, issuerId: issuer, title: "Staff 90")
            let publicDeal = FakeCoupon(productId: product, rateBasisPoints: 1000, issuerId: issuer, title: "Public 10")
            #expect(try await Self.upload(client, merchant, product: product, staff, listed: false).status == .created)
            // Only an unlisted coupon: nothing to hand out, no title shown.
            try expectProblem(try await Self.catalogCoupon(client, product: product), .notFound, "no_coupon")
            #expect(try await Self.titles(client, product: product).isEmpty)

            #expect(try await Self.upload(client, merchant, product: product, publicDeal).status == .created)
            let served = try await Self.catalogCoupon(client, product: product)
            #expect(served.status == .ok)
            #expect(Array(served.body.readableBytesView) == publicDeal.bytes)
            #expect(try await Self.titles(client, product: product) == ["Public 10"])

            let revoked = try await client.execute(
                uri: "/v1/merchant/coupons/\(publicDeal.serial)/revoke", method: .post, headers: bearer(merchant.token))
            #expect(revoked.status == .ok)
            try expectProblem(try await Self.catalogCoupon(client, product: product), .notFound, "no_coupon")
            #expect(try await Self.titles(client, product: product).isEmpty)

            // The unlisted coupon is still recognised where it is presented.
            let member = try await client.join()
            let order = try await client.order(member, product: product, coupon: staff.base64)
            #expect(order.status == .created)
            #expect(amount(try json(order)["discount"]) == 899)
        }
    }

    @Test(arguments: StoreKind.allCases) func couponsOfARetiredEpochAreNotHandedOut(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.store.ensureRevealKey()
        try await server.test { client in
            let product = try await client.createProduct(merchant)
            let old = FakeCoupon(productId: product, issuerId: merchant.issuer.publicKey.id, epoch: 1, title: "Old")
            #expect(try await Self.upload(client, merchant, product: product, old).status == .created)
            #expect(try await Self.catalogCoupon(client, product: product).status == .ok)
            _ = try await server.store.rotateRevealKey()
            _ = try await server.store.retireRevealKey(epoch: 1, at: Date())
            // The key ring is read again within a second.
            try await Task.sleep(for: .milliseconds(1100))
            try expectProblem(try await Self.catalogCoupon(client, product: product), .notFound, "no_coupon")
            let fresh = FakeCoupon(productId: product, issuerId: merchant.issuer.publicKey.id, epoch: 2, title: "Fresh")
            #expect(try await Self.upload(client, merchant, product: product, fresh).status == .created)
            #expect(Array(try await Self.catalogCoupon(client, product: product).body.readableBytesView) == fresh.bytes)
        }
    }

    /// A coupon minted and handed out offline, never uploaded, is revoked before anyone
    /// orders with it; the revocation is checked when the order settles.
    @Test(arguments: StoreKind.allCases) func aSerialNeverUploadedCanBeRevoked(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        let other = try await server.addMerchant(name: "Other")
        try await server.test { client in
            let product = try await client.createProduct(merchant)
            let member = try await client.join()
            let offline = FakeCoupon(productId: product, issuerId: merchant.issuer.publicKey.id)
            let revoked = try await client.execute(
                uri: "/v1/merchant/coupons/\(offline.serial)/revoke", method: .post, headers: bearer(merchant.token))
            #expect(revoked.status == .ok)
            #expect(try json(revoked)["serial"] as? String == offline.serial)
            try expectProblem(
                try await client.order(member, product: product, coupon: offline.base64), .unprocessableContent,
                "coupon_revoked")
            // Another merchant revoking the same serial text touches only its own issuer's.
            let sameText = FakeCoupon(serial: "SHARED-1", productId: product, issuerId: merchant.issuer.publicKey.id)
            #expect(
                try await client.execute(
                    uri: "/v1/merchant/coupons/SHARED-1/revoke", method: .post, headers: bearer(other.token)
                ).status == .ok)
            #expect(try await client.order(member, product: product, coupon: sameText.base64).status == .created)
        }
    }
}
