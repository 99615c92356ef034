import CouponKit
import CouponServer
import CouponStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import StoreTestSupport
import Testing

/// What can be withdrawn: a reveal-key epoch, a coupon serial, a member's or merchant's
/// token; and a serial cannot be uploaded twice.
@Suite struct RevocationTests {
    func upload(_ client: some TestClientProtocol, _ merchant: TestMerchant, product: String, _ coupon: FakeCoupon)
        async throws -> TestResponse
    {
        try await client.execute(
            uri: "/v1/merchant/products/\(product)/coupons", method: .post,
            headers: bearer(merchant.token) + [HTTPField(name: .contentType, value: "image/png")],
            body: ByteBuffer(bytes: coupon.bytes))
    }

    func revoke(_ client: some TestClientProtocol, _ merchant: TestMerchant, serial: String) async throws -> TestResponse {
        try await client.execute(
            uri: "/v1/merchant/coupons/\(serial)/revoke", method: .post, headers: bearer(merchant.token))
    }

    @Test(arguments: StoreKind.allCases) func aRetiredEpochIsListedAndItsCouponsRefused(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.store.ensureRevealKey()
        try await server.store.rotateRevealKey()
        await #expect(throws: StoreError.newestEpoch(2)) { try await server.store.retireRevealKey(epoch: 2, at: Date()) }
        await #expect(throws: StoreError.epochNotFound(9)) { try await server.store.retireRevealKey(epoch: 9, at: Date()) }
        try await server.test { client in
            let product = try await client.createProduct(merchant)
            let member = try await client.join()
            let old = FakeCoupon(productId: product, issuerId: merchant.issuer.publicKey.id, epoch: 1)
            #expect(try await client.order(member, product: product, coupon: old.base64).status == .created)

            let retired = try await server.store.retireRevealKey(epoch: 1, at: Date())
            #expect(!retired.already)
            #expect(try await server.store.retireRevealKey(epoch: 1, at: Date()).already)
            let keys = try json(try await client.execute(uri: "/v1/keys", method: .get, headers: bearer(member.token)))
            let reveal = try #require(keys["reveal_keys"] as? [[String: Any]])
            #expect(reveal.map { $0["epoch"] as? Int } == [1, 2])
            #expect(reveal.map { $0["retired"] as? Bool } == [true, false])

            // The running server refuses the retired epoch within seconds (its key ring is
            // read again every second), and still accepts the newest. The bound is loose
            // (10 s) because each probe is a whole order on a machine that may be busy.
            let deadline = ContinuousClock.now + .seconds(10)
            var refused: TestResponse?
            while ContinuousClock.now < deadline {
                let response = try await client.order(member, product: product, coupon: old.base64)
                if response.status == .unprocessableContent { refused = response; break }
                try await Task.sleep(for: .milliseconds(200))
            }
            try expectProblem(try #require(refused), .unprocessableContent, "coupon_key_retired")
            let fresh = FakeCoupon(productId: product, issuerId: merchant.issuer.publicKey.id, epoch: 2)
            #expect(try await client.order(member, product: product, coupon: fresh.base64).status == .created)
            try expectProblem(
                try await upload(client, merchant, product: product, old), .unprocessableContent, "coupon_key_retired")
        }
    }

    @Test(arguments: StoreKind.allCases) func aMerchantRevokesItsOwnSerialOnly(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        let other = try await server.addMerchant(name: "Other")
        try await server.test { client in
            let product = try await client.createProduct(merchant)
            let member = try await client.join()
            let coupon = FakeCoupon(productId: product, issuerId: merchant.issuer.publicKey.id)
            #expect(try await upload(client, merchant, product: product, coupon).status == .created)
            try expectProblem(try await upload(client, merchant, product: product, coupon), .conflict, "coupon_exists")
            #expect(try await client.order(member, product: product, coupon: coupon.base64).status == .created)

            // Another merchant revokes the same serial under its own issuer key only.
            #expect(try await revoke(client, other, serial: coupon.serial).status == .ok)
            #expect(try await client.order(member, product: product, coupon: coupon.base64).status == .created)
            // No coupon can carry this serial.
            try expectProblem(try await revoke(client, merchant, serial: ".hidden"), .notFound, "coupon_not_found")
            let first = try await revoke(client, merchant, serial: coupon.serial)
            #expect(first.status == .ok)
            let body = try json(first)
            #expect(body["serial"] as? String == coupon.serial)
            let revokedAt = try #require(body["revoked_at"] as? String)
            #expect(try json(try await revoke(client, merchant, serial: coupon.serial))["revoked_at"] as? String == revokedAt)

            try expectProblem(
                try await client.order(member, product: product, coupon: coupon.base64), .unprocessableContent,
                "coupon_revoked")
            let rejections = try #require(try await client.history(member)["rejections"] as? [[String: Any]])
            #expect(rejections.map { $0["code"] as? String } == ["coupon_revoked"])
            #expect(rejections.first?["coupon_serial"] as? String == coupon.serial)
            // The catalog no longer hands it out.
            let listed = try json(try await client.execute(uri: "/v1/products/\(product)", method: .get))
            #expect((listed["coupons"] as? [Any])?.isEmpty == true)
            try expectProblem(
                try await client.execute(uri: "/v1/products/\(product)/coupon", method: .get), .notFound, "no_coupon")
            // Members cannot revoke.
            try expectProblem(
                try await client.execute(
                    uri: "/v1/merchant/coupons/\(coupon.serial)/revoke", method: .post, headers: bearer(member.token)),
                .forbidden, "forbidden")
        }
    }

    @Test(arguments: StoreKind.allCases) func loggingOutRevokesThatTokenOnly(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        try await server.test { client in
            let member = try await client.join()
            let other = try await client.join()
            let out = try await client.execute(uri: "/v1/members/me/token", method: .delete, headers: bearer(member.token))
            #expect(out.status == .noContent)
            try expectProblem(
                try await client.execute(uri: "/v1/members/me", method: .get, headers: bearer(member.token)),
                .unauthorized, "unauthenticated")
            try expectProblem(
                try await client.execute(uri: "/v1/members/me/token", method: .delete, headers: bearer(member.token)),
                .unauthorized, "unauthenticated")
            #expect(try await client.execute(uri: "/v1/members/me", method: .get, headers: bearer(other.token)).status == .ok)
        }
    }

    @Test(arguments: StoreKind.allCases) func rotatingAMerchantTokenRetiresTheOldOne(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        let fresh = AccessToken.generate(.merchant)
        try await server.store.rotateMerchantToken(merchantId: merchant.id, tokenHash: fresh.hash, at: Date())
        await #expect(throws: StoreError.merchantNotFound("mer_nope")) {
            try await server.store.rotateMerchantToken(merchantId: "mer_nope", tokenHash: fresh.hash, at: Date())
        }
        try await server.test { client in
            try expectProblem(
                try await client.execute(uri: "/v1/merchant/orders", method: .get, headers: bearer(merchant.token)),
                .unauthorized, "unauthenticated")
            #expect(
                try await client.execute(uri: "/v1/merchant/orders", method: .get, headers: bearer(fresh.value)).status
                    == .ok)
        }
    }
}
