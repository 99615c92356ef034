import CouponKit
import CouponMinting
import CouponStore
import Foundation
import HTTPTypes
import GRDB
import HummingbirdTesting
import NIOCore
import StoreTestSupport
import TestSupport
import Testing

@testable import CouponSQLite

/// How often each walk of a coupon admits work to the verification pool, counted by the
/// server's own `couponmark_verification_duration_seconds` (one sample per pool task): one
/// decode and one admission per picture, the copy's order included, because the upload
/// kept what it verified.
@Suite(.timeLimit(.minutes(5))) struct PoolAdmissionTests {
    static func admissions(_ client: any TestClientProtocol) async throws -> Double {
        let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
        return PrometheusText(text)["couponmark_verification_duration_seconds_count"] ?? 0
    }

    @Test(arguments: StoreKind.allCases) func everyPictureIsOneAdmission(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind, verifier: nil)
        try await server.test { client in
            let before = try await Self.admissions(client)
            let shop = try await CouponCopyTests.shop(server, client: client)
            var count = try await Self.admissions(client)
            #expect(count - before == 1, "upload: both layers from one decode")

            let jpeg = try PictureCopy.jpeg(quality: 75).apply(to: shop.coupon.png)
            let copyOrder = try await CouponCopyTests.order(shop, image: jpeg, client: client)
            #expect(copyOrder.status == .created)
            #expect(try json(copyOrder)["coupon_layer"] as? String == "robust")
            #expect(try await Self.admissions(client) - count == 1, "an order with a JPEG copy: no second verification")
            count = try await Self.admissions(client)

            #expect(try await CouponCopyTests.order(shop, image: shop.coupon.png, client: client).status == .created)
            #expect(try await Self.admissions(client) - count == 1, "an order with the original")
            count = try await Self.admissions(client)

            let webp = try PictureCopy.webp(quality: 80).apply(to: shop.coupon.png)
            #expect(try await CouponCopyTests.identify(webp, token: shop.member.token, client: client).status == .ok)
            #expect(try await Self.admissions(client) - count == 1, "identify with a WebP copy")
            count = try await Self.admissions(client)

            // A degraded PNG is read as an original first; only then are the merchant's
            // robust keys asked for, and the same pixels searched: two tasks, one decode.
            let resized = try PictureCopy.resized(0.75).apply(to: shop.coupon.png)
            let resizedOrder = try await CouponCopyTests.order(shop, image: resized, client: client)
            #expect(resizedOrder.status == .created)
            #expect(try json(resizedOrder)["coupon_layer"] as? String == "robust")
            #expect(try await Self.admissions(client) - count == 2, "a degraded PNG")
        }
    }

    /// A coupon uploaded before uploads kept their verification (NULL `verified_terms`)
    /// still orders with a copy: its stored picture is verified again, as before.
    @Test func couponsFromBeforeAreVerifiedAgain() async throws {
        let server = try TestServer(verifier: nil)
        let sqlite = try #require(server.sqlite)
        try await server.test { client in
            let shop = try await CouponCopyTests.shop(server, client: client)
            try await sqlite.writer.write { db in
                try db.execute(sql: "UPDATE coupons SET verified_terms = NULL, seal_epoch = NULL")
            }
            let stored = try #require(try await server.store.coupon(issuerId: shop.merchant.issuer.publicKey.id, serial: shop.coupon.terms.serial))
            #expect(stored.verified == nil)
            let count = try await Self.admissions(client)
            let jpeg = try PictureCopy.jpeg(quality: 75).apply(to: shop.coupon.png)
            let ordered = try await CouponCopyTests.order(shop, image: jpeg, client: client)
            #expect(ordered.status == .created)
            #expect(amount(try json(ordered)["discount"]) == 150)
            #expect(try await Self.admissions(client) - count == 2, "the copy, then the stored original verified again")
        }
    }

    /// What an upload kept is what its coupon's terms are, on both stores.
    @Test(arguments: StoreKind.allCases) func uploadsKeepTheirVerifiedTerms(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind, verifier: nil)
        try await server.test { client in
            let shop = try await CouponCopyTests.shop(server, client: client)
            let stored = try #require(
                try await server.store.coupon(issuerId: shop.merchant.issuer.publicKey.id, serial: shop.coupon.terms.serial))
            let verified = try #require(stored.verified)
            #expect(verified.terms == shop.coupon.terms)
            #expect(verified.epoch == (try await server.store.keyRing().newestRevealKey?.epoch))
        }
    }
}
