import CouponKit
import CouponMinting
import CouponServer
import CouponStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ImageCore
import ImageFormats
import NIOCore
import PNGCodec
import RobustMark
import StoreTestSupport
import TestSupport
import Testing

/// Copies of coupons (JPEG, WebP, resized, cropped, screenshots) through HTTP: the robust
/// layer names the stored coupon for `POST /v1/coupons/identify` and for orders, whose
/// terms are then the stored coupon's own.
@Suite struct CouponCopyTests {
    /// A merchant with one product and one uploaded coupon minted with the merchant's own
    /// robust key, and a member.
    struct Shop {
        let merchant: TestMerchant
        let member: TestMember
        let product: String
        let couponId: String
        let coupon: CouponMinter.Minted
    }

    static func mint(
        _ merchant: TestMerchant, store: any CouponRepository, product: String, discount: Discount,
        fragileOnly: Bool = false, robust: Bool = true
    ) async throws -> CouponMinter.Minted {
        let now = Int64(Date().timeIntervalSince1970)
        let terms = CouponTerms(
            serial: "COPY-\(UUID().uuidString.prefix(8))", productId: product, title: "Copy deal", discount: discount,
            validFrom: now - 86_400, validUntil: now + 86_400, maxUsesPerMember: nil, issuerId: merchant.issuer.publicKey.id,
            fragileOnly: fragileOnly)
        var minter = CouponMinter(issuer: merchant.issuer, revealKey: try #require(try await store.keyRing().newestRevealKey))
        if robust { minter.robustKey = try await currentRobustKey(of: merchant, in: store) }
        return try minter.mint(terms)
    }

    /// Uploads the coupon; returns its id, and checks that the answer says whether the
    /// coupon carries the robust layer (`robust`).
    static func upload(
        _ coupon: CouponMinter.Minted, product: String, merchant: TestMerchant, client: any TestClientProtocol,
        robust: Bool = true
    ) async throws -> String {
        let upload = try await client.execute(
            uri: "/v1/merchant/products/\(product)/coupons", method: .post, headers: bearer(merchant.token),
            body: ByteBuffer(bytes: coupon.png))
        #expect(upload.status == .created)
        let body = try json(upload)
        #expect(body["robust_layer"] as? Bool == robust)
        return try #require(body["coupon_id"] as? String)
    }

    static func shop(_ server: TestServer, client: any TestClientProtocol, fragileOnly: Bool = false) async throws -> Shop {
        let merchant = try await server.addMerchant()
        let product = try await client.createProduct(merchant, price: 999)
        let coupon = try await mint(
            merchant, store: server.store, product: product, discount: .rate(basisPoints: 1500), fragileOnly: fragileOnly)
        let couponId = try await upload(coupon, product: product, merchant: merchant, client: client)
        return Shop(merchant: merchant, member: try await client.join(), product: product, couponId: couponId, coupon: coupon)
    }

    static func identify(_ bytes: [UInt8], token: String, client: any TestClientProtocol) async throws -> TestResponse {
        try await client.execute(
            uri: "/v1/coupons/identify", method: .post, headers: bearer(token), body: ByteBuffer(bytes: bytes))
    }

    static func order(_ shop: Shop, image: [UInt8], client: any TestClientProtocol) async throws -> TestResponse {
        var headers = bearer(shop.member.token)
        headers[HTTPField.Name("Idempotency-Key")!] = UUID().uuidString
        return try await client.execute(
            uri: "/v1/orders", method: .post, headers: headers,
            body: jsonBody([
                "product_id": shop.product, "quantity": 1, "coupon_image": Data(image).base64EncodedString(),
            ] as [String: Any]))
    }

    @Test(arguments: StoreKind.allCases) func merchantsGetTheirRobustKeyAndMembersDoNot(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind, verifier: nil)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let member = try await client.join()
            let keys = try json(try await client.execute(uri: "/v1/keys", method: .get, headers: bearer(merchant.token)))
            let robust = try #require(keys["robust_key"] as? String)
            #expect(RobustKey(base64: robust)?.rawBytes == (try await currentRobustKey(of: merchant, in: server.store)).rawBytes)
            let again = try json(try await client.execute(uri: "/v1/keys", method: .get, headers: bearer(merchant.token)))
            #expect(again["robust_key"] as? String == robust, "the current key until rotated")
            let memberKeys = try json(try await client.execute(uri: "/v1/keys", method: .get, headers: bearer(member.token)))
            #expect(memberKeys["robust_key"] == nil)
            #expect(memberKeys["robust_keys"] == nil)
            #expect(memberKeys["reveal_keys"] != nil)
        }
    }

    /// Every kind of copy in ``PictureCopy/all`` names the uploaded coupon; an order with a
    /// JPEG 75 copy settles with the stored terms and says the robust layer named it.
    @Test(arguments: StoreKind.allCases) func everyCopyIsIdentifiedAndOrdersWithTheStoredTerms(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind, verifier: nil)
        try await server.test { client in
            let shop = try await Self.shop(server, client: client)
            let original = try json(try await Self.identify(shop.coupon.png, token: shop.member.token, client: client))
            #expect(original["layer"] as? String == "fragile")
            #expect(original["coupon_id"] as? String == shop.couponId)
            #expect((original["discount"] as? [String: Any])?["basis_points"] as? Int == 1500)

            for copy in PictureCopy.all {
                let response = try await Self.identify(try copy.apply(to: shop.coupon.png), token: shop.merchant.token, client: client)
                #expect(response.status == .ok, "\(copy)")
                guard response.status == .ok else { continue }
                let body = try json(response)
                #expect(body["layer"] as? String == "robust", "\(copy)")
                #expect(body["coupon_id"] as? String == shop.couponId, "\(copy)")
                #expect(body["serial"] as? String == shop.coupon.terms.serial, "\(copy)")
                #expect(body["product_id"] as? String == shop.product, "\(copy)")
                #expect(body["discount"] == nil, "merchants are not shown the discount")
            }

            let jpeg = try PictureCopy.jpeg(quality: 75).apply(to: shop.coupon.png)
            let identified = try json(try await Self.identify(jpeg, token: shop.member.token, client: client))
            #expect((identified["discount"] as? [String: Any])?["basis_points"] as? Int == 1500)
            let ordered = try await Self.order(shop, image: jpeg, client: client)
            #expect(ordered.status == .created)
            let order = try json(ordered)
            #expect(order["coupon_layer"] as? String == "robust")
            #expect(order["coupon_serial"] as? String == shop.coupon.terms.serial)
            #expect(amount(order["discount"]) == 150)
            #expect(amount(order["total"]) == 849)

            let fromOriginal = try json(
                try await client.order(shop.member, product: shop.product, coupon: Data(shop.coupon.png).base64EncodedString()))
            #expect(fromOriginal["coupon_layer"] as? String == "fragile")
            let history = try #require(try await client.history(shop.member)["orders"] as? [[String: Any]])
            #expect(history.map { $0["coupon_layer"] as? String } == ["robust", "fragile"])
            try await expectBalancedLedger(server.store, transactions: 2)
        }
    }

    /// A phone's screenshot of the app showing the coupon (status bar, text, a button, the
    /// coupon at 80 % of the screen's width, JPEG 80) is identified and orders with the
    /// stored terms, on both stores.
    @Test(arguments: StoreKind.allCases) func aPhoneScreenshotWithTheAppAroundItOrders(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind, verifier: nil)
        try await server.test { client in
            let shop = try await Self.shop(server, client: client)
            let screenshot = try PictureCopy.phoneScreenshot(quality: 80).apply(to: shop.coupon.png)
            let identified = try json(try await Self.identify(screenshot, token: shop.member.token, client: client))
            #expect(identified["layer"] as? String == "robust")
            #expect(identified["coupon_id"] as? String == shop.couponId)
            let ordered = try await Self.order(shop, image: screenshot, client: client)
            #expect(ordered.status == .created)
            let order = try json(ordered)
            #expect(order["coupon_layer"] as? String == "robust")
            #expect(order["coupon_serial"] as? String == shop.coupon.terms.serial)
            #expect(amount(order["total"]) == 849)
        }
    }

    /// A coupon signed `fragile_only` is redeemed only as its original: a copy is
    /// `coupon_degraded`, recorded in the member's history; identifying it still works.
    @Test func copiesOfFragileOnlyCouponsAreRefused() async throws {
        let server = try TestServer(verifier: nil)
        try await server.test { client in
            let shop = try await Self.shop(server, client: client, fragileOnly: true)
            let copy = try PictureCopy.screenshot(scale: 2, quality: 80).apply(to: shop.coupon.png)
            try expectProblem(try await Self.order(shop, image: copy, client: client), .unprocessableContent, "coupon_degraded")
            #expect(try await Self.identify(copy, token: shop.member.token, client: client).status == .ok)
            let original = try await Self.order(shop, image: shop.coupon.png, client: client)
            #expect(original.status == .created)
            #expect(try json(original)["coupon_layer"] as? String == "fragile")
            let rejections = try #require(try await client.history(shop.member)["rejections"] as? [[String: Any]])
            #expect(rejections.map { $0["code"] as? String } == ["coupon_degraded"])
            #expect(rejections.first?["coupon_serial"] as? String == shop.coupon.terms.serial)
        }
    }

    /// `--identify-limit` per account and minute counts every robust-layer search,
    /// whichever route asks for it: identify and an order's copy alike (orders were not
    /// counted, and 300 junk-picture orders a second ran the search). Over it: 429
    /// `rate_limited` with `Retry-After`, not recorded in the history; other accounts go
    /// on. A picture that reaches no search (not a picture at all) is not counted.
    @Test func robustSearchesAreLimitedPerAccount() async throws {
        var configured = try TestServer(verifier: nil).withFrozenClock()
        configured.configuration.identifyLimit = 2
        let server = configured
        try await server.test { client in
            let shop = try await Self.shop(server, client: client)
            let other = try await client.join()
            // A real JPEG with no mark: it costs a whole search.
            let plain = try await Self.mint(
                shop.merchant, store: server.store, product: shop.product, discount: .rate(basisPoints: 500), robust: false)
            let junk = try PictureCopy.jpeg(quality: 90).apply(to: plain.png)
            for _ in 0..<3 {
                try expectProblem(
                    try await Self.identify(Array("not a picture".utf8), token: shop.member.token, client: client),
                    .unprocessableContent, "coupon_unreadable")
            }
            try expectProblem(
                try await Self.identify(junk, token: shop.member.token, client: client), .unprocessableContent,
                "coupon_unreadable")
            try expectProblem(try await Self.order(shop, image: junk, client: client), .unprocessableContent, "coupon_unreadable")
            let limited = try await Self.order(shop, image: junk, client: client)
            try expectProblem(limited, .tooManyRequests, "rate_limited")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            try expectProblem(
                try await Self.identify(junk, token: shop.member.token, client: client), .tooManyRequests, "rate_limited")
            let rejections = try #require(try await client.history(shop.member)["rejections"] as? [[String: Any]])
            #expect(rejections.map { $0["code"] as? String } == ["coupon_unreadable"])
            // The original still orders (its fragile layer needs no search), and others search.
            #expect(try await Self.order(shop, image: shop.coupon.png, client: client).status == .created)
            try expectProblem(
                try await Self.identify(junk, token: other.token, client: client), .unprocessableContent, "coupon_unreadable")
        }
    }

    /// Pictures of no coupon's shape (a 16x250000 grey strip is 10 KB as PNG and was a
    /// 2.5 GB detection frame) are refused from their header, in PNG, JPEG and WebP, in
    /// both orientations, by identify and by orders.
    @Test func thinPicturesAreRefusedBeforeTheirPixels() async throws {
        let server = try TestServer(verifier: nil)
        try await server.test { client in
            let shop = try await Self.shop(server, client: client)
            let strips: [(String, [UInt8])] = [
                ("PNG 16x250000", try PNGEncoder().encode(PixelBuffer(width: 16, height: 250_000, format: .rgb8, fill: 128))),
                ("PNG 250000x16", try PNGEncoder().encode(PixelBuffer(width: 250_000, height: 16, format: .rgb8, fill: 128))),
                ("JPEG 16x64000", try JPEGEncoder(quality: 80).encode(PixelBuffer(width: 16, height: 64_000, format: .rgb8, fill: 90))),
                ("JPEG 64000x16", try JPEGEncoder(quality: 80).encode(PixelBuffer(width: 64_000, height: 16, format: .rgb8, fill: 90))),
                ("WebP 16x16000", try WebPEncoder(quality: 80).encode(PixelBuffer(width: 16, height: 16_000, format: .rgb8, fill: 60))),
                ("WebP 16000x16", try WebPEncoder(quality: 80).encode(PixelBuffer(width: 16_000, height: 16, format: .rgb8, fill: 60))),
            ]
            for (name, strip) in strips {
                let identified = try await Self.identify(strip, token: shop.member.token, client: client)
                try expectProblem(identified, .unprocessableContent, "coupon_unreadable")
                let detail = try json(identified)["detail"] as? String ?? ""
                #expect(detail.contains("at most 4:1"), "\(name): \(detail)")
                try expectProblem(
                    try await Self.order(shop, image: strip, client: client), .unprocessableContent, "coupon_unreadable")
            }
        }
    }

    /// The shapes coupons take stay readable: the coupon, crops of it, a phone screenshot's.
    @Test func couponShapesCanCarryTheMark() {
        for (width, height) in [(800, 400), (600, 400), (800, 300), (1170, 2532), (2532, 1170), (400, 1600)] {
            #expect(RobustMark.canCarry(width: width, height: height), "\(width)x\(height)")
        }
        for (width, height) in [(16, 250_000), (401, 100), (15, 40), (250_000, 16)] {
            #expect(!RobustMark.canCarry(width: width, height: height), "\(width)x\(height)")
        }
    }

    @Test func picturesThatNameNoCouponAreRefused() async throws {
        let server = try TestServer(verifier: nil)
        try await server.test { client in
            let shop = try await Self.shop(server, client: client)
            let token = shop.member.token

            // Minted without the robust layer: its copy carries nothing to read.
            let plain = try await Self.mint(
                shop.merchant, store: server.store, product: shop.product, discount: .rate(basisPoints: 500), robust: false)
            _ = try await Self.upload(plain, product: shop.product, merchant: shop.merchant, client: client, robust: false)
            let plainCopy = try PictureCopy.jpeg(quality: 90).apply(to: plain.png)
            try expectProblem(try await Self.identify(plainCopy, token: token, client: client), .unprocessableContent, "coupon_unreadable")
            try expectProblem(try await Self.order(shop, image: plainCopy, client: client), .unprocessableContent, "coupon_unreadable")
            // Not a picture; a PNG without either layer keeps the fragile layer's answer.
            try expectProblem(
                try await Self.identify(Array("not a picture".utf8), token: token, client: client), .unprocessableContent,
                "coupon_unreadable")
            let unmarked = try PictureCopy.resized(1).apply(to: plainCopy)
            let refusal = try json(try await Self.identify(unmarked, token: token, client: client))
            #expect(refusal["detail"] as? String == "coupon unreadable: no watermark found")

            // Marked with the server's key, but with an identifier no upload carries.
            let unmarkedArt = try PNGDecoder().decode(plain.png).image
            let stranger = RobustMark.embed(
                unmarkedArt.toRGB() ?? unmarkedArt, id: 0x0123_4567_89AB_CDEF,
                key: try await currentRobustKey(of: shop.merchant, in: server.store))
            let strangerCopy = try PictureCopy.jpeg(quality: 80).apply(to: try PNGEncoder().encode(stranger))
            try expectProblem(try await Self.identify(strangerCopy, token: token, client: client), .notFound, "coupon_not_found")
            // An order reads the copy under the product's merchant's keys; a mark naming
            // none of its coupons is no coupon for this product.
            try expectProblem(
                try await Self.order(shop, image: strangerCopy, client: client), .unprocessableContent, "coupon_unreadable")

            // An original whose artwork was edited is not vouched for.
            var edited = try PNGDecoder().decode(shop.coupon.png).image
            for y in 100..<160 { for x in 200..<320 { edited.bytes[edited.offset(x: x, y: y)] = 0 } }
            try expectProblem(
                try await Self.identify(try PNGEncoder().encode(edited), token: token, client: client), .unprocessableContent,
                "coupon_tampered")

            // One picture per order.
            var headers = bearer(token)
            headers[HTTPField.Name("Idempotency-Key")!] = "both"
            let base64 = Data(shop.coupon.png).base64EncodedString()
            try expectProblem(
                try await client.execute(
                    uri: "/v1/orders", method: .post, headers: headers,
                    body: jsonBody(["product_id": shop.product, "quantity": 1, "coupon_png": base64, "coupon_image": base64] as [String: Any])),
                .badRequest, "invalid_request")
        }
    }
}
