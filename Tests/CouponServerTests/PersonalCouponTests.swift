import CouponKit
import CouponMinting
@testable import CouponPostgres
import CouponServer
import CouponStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ImageCore
import NIOCore
import PNGCodec
import RobustMark
import StoreTestSupport
import TestSupport
import Testing

/// Personal coupons through HTTP, on both stores: each member's own copy, orders only
/// with one's own, tracing a leaked copy (even a damaged or degraded one) to its member,
/// and the counts merchants see.
@Suite struct PersonalCouponTests {
    /// A merchant with one product and one personal coupon uploaded, and two members.
    struct Shop {
        let merchant: TestMerchant
        let alice: TestMember
        let bob: TestMember
        let product: String
        let couponId: String
        let original: CouponMinter.Minted
    }

    static func shop(_ server: TestServer, client: any TestClientProtocol) async throws -> Shop {
        let merchant = try await server.addMerchant()
        let product = try await client.createProduct(merchant, price: 1000)
        let now = Int64(Date().timeIntervalSince1970)
        let terms = CouponTerms(
            serial: "MINE-\(UUID().uuidString.prefix(8))", productId: product, title: "Just for you",
            discount: .rate(basisPoints: 2000), validFrom: now - 86_400, validUntil: now + 86_400, maxUsesPerMember: nil,
            issuerId: merchant.issuer.publicKey.id, personal: true)
        var minter = CouponMinter(
            issuer: merchant.issuer, revealKey: try #require(try await server.store.keyRing().newestRevealKey))
        minter.robustKey = try await currentRobustKey(of: merchant, in: server.store)
        let original = try minter.mint(terms)
        // A personal coupon is minted without a robust layer: each copy carries its own.
        let couponId = try await CouponCopyTests.upload(
            original, product: product, merchant: merchant, client: client, robust: false)
        return Shop(
            merchant: merchant, alice: try await client.join(), bob: try await client.join(), product: product,
            couponId: couponId, original: original)
    }

    static func fetch(_ shop: Shop, as token: String?, client: any TestClientProtocol) async throws -> TestResponse {
        try await client.execute(
            uri: "/v1/products/\(shop.product)/coupon", method: .get, headers: token.map(bearer) ?? [:])
    }

    /// A member's copy: its PNG and its copy id.
    static func copy(_ shop: Shop, for member: TestMember, client: any TestClientProtocol) async throws
        -> (png: [UInt8], copyId: String)
    {
        let response = try await fetch(shop, as: member.token, client: client)
        #expect(response.status == .ok)
        let copyId = try #require(response.headers[HTTPField.Name("Coupon-Copy-Id")!])
        return (Array(response.body.readableBytesView), copyId)
    }

    static func ring(_ token: String, client: any TestClientProtocol) async throws -> KeyRing {
        let body = try json(try await client.execute(uri: "/v1/keys", method: .get, headers: bearer(token)))
        let data = try JSONSerialization.data(withJSONObject: body)
        return try #require(try JSONDecoder().decode(KeysDocument.self, from: data).keyRing)
    }

    static func order(_ member: TestMember, _ shop: Shop, image: [UInt8], client: any TestClientProtocol) async throws
        -> TestResponse
    {
        var headers = bearer(member.token)
        headers[HTTPField.Name("Idempotency-Key")!] = UUID().uuidString
        return try await client.execute(
            uri: "/v1/orders", method: .post, headers: headers,
            body: jsonBody([
                "product_id": shop.product, "quantity": 1, "coupon_image": Data(image).base64EncodedString(),
            ] as [String: Any]))
    }

    static func trace(_ image: [UInt8], merchant: TestMerchant, client: any TestClientProtocol) async throws
        -> TestResponse
    {
        try await client.execute(
            uri: "/v1/merchant/trace", method: .post, headers: bearer(merchant.token), body: ByteBuffer(bytes: image))
    }

    @Test(arguments: StoreKind.allCases) func onlyMembersGetACopyEachTheirOwnAndAlwaysTheSame(_ kind: StoreKind)
        async throws
    {
        let server = try await TestServer(kind, verifier: nil)
        try await server.test { client in
            let shop = try await Self.shop(server, client: client)
            try expectProblem(try await Self.fetch(shop, as: nil, client: client), .unauthorized, "unauthenticated")
            try expectProblem(try await Self.fetch(shop, as: shop.merchant.token, client: client), .forbidden, "not_a_member")
            try expectProblem(try await Self.fetch(shop, as: "cm_member_forged", client: client), .unauthorized, "unauthenticated")

            let alice = try await Self.copy(shop, for: shop.alice, client: client)
            let bob = try await Self.copy(shop, for: shop.bob, client: client)
            #expect(alice.copyId != bob.copyId)
            #expect(alice.png != shop.original.png && bob.png != alice.png)
            let again = try await Self.copy(shop, for: shop.alice, client: client)
            #expect(again.copyId == alice.copyId)

            // Each copy reveals, with the member's keys, as the member's own, the binding
            // verified under the server key `GET /v1/keys` publishes.
            let ring = try await Self.ring(shop.alice.token, client: client)
            #expect(ring.serverKeys.count == 1 && ring.serverKeys.allSatisfy { !$0.retired })
            for (png, member, copyId) in [(alice.png, shop.alice, alice.copyId), (again.png, shop.alice, alice.copyId),
                (bob.png, shop.bob, bob.copyId)]
            {
                let revealed = try CouponRevealer(keys: ring).reveal(png: png)
                #expect(revealed.binding?.memberId == member.id)
                #expect(revealed.binding.map { CouponRobustIdentity.hex($0.copyId) } == copyId)
                #expect(revealed.bindingVerification == .valid && !revealed.tampered)
                #expect(revealed.terms == shop.original.terms)
            }
            // The same binding both times: only the fragile layer's random nonce differs.
            let first = try CouponRevealer(keys: ring).reveal(png: alice.png).binding
            #expect(try CouponRevealer(keys: ring).reveal(png: again.png).binding == first)
        }
    }

    /// A member asking for their copy in a loop is answered with the bytes made the first
    /// time (a copy made again would differ in its fragile layer's random nonce), not with
    /// a re-mark and an encode per request.
    @Test func aMemberAskingInALoopGetsTheCopyAlreadyMade() async throws {
        let server = try await TestServer(.sqlite, verifier: nil)
        try await server.test { client in
            let shop = try await Self.shop(server, client: client)
            let first = try await Self.copy(shop, for: shop.alice, client: client)
            for _ in 0..<30 {
                let again = try await Self.copy(shop, for: shop.alice, client: client)
                #expect(again.png == first.png && again.copyId == first.copyId)
            }
        }
    }

    @Test(arguments: StoreKind.allCases) func ordersNeedTheOrderingMembersOwnCopy(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind, verifier: nil)
        try await server.test { client in
            let shop = try await Self.shop(server, client: client)
            let alice = try await Self.copy(shop, for: shop.alice, client: client)
            let bob = try await Self.copy(shop, for: shop.bob, client: client)

            // Bob with Alice's copy, as she got it and as a JPEG: not his.
            try expectProblem(try await Self.order(shop.bob, shop, image: alice.png, client: client), .unprocessableContent, "coupon_not_yours")
            let jpeg = try PictureCopy.jpeg(quality: 75).apply(to: alice.png)
            try expectProblem(try await Self.order(shop.bob, shop, image: jpeg, client: client), .unprocessableContent, "coupon_not_yours")
            // The merchant's original is bound to no one.
            try expectProblem(
                try await Self.order(shop.alice, shop, image: shop.original.png, client: client), .unprocessableContent,
                "coupon_not_personalised")

            // Alice with her own copy, and Bob with a JPEG of his.
            let ordered = try await Self.order(shop.alice, shop, image: alice.png, client: client)
            #expect(ordered.status == .created)
            #expect(amount(try json(ordered)["discount"]) == 200)
            let bobs = try await Self.order(shop.bob, shop, image: try PictureCopy.webp(quality: 50).apply(to: bob.png), client: client)
            #expect(bobs.status == .created)
            #expect(try json(bobs)["coupon_layer"] as? String == "robust")

            // Bob's history has his refusals, and never Alice's id.
            let history = try await client.history(shop.bob)
            let rejections = try #require(history["rejections"] as? [[String: Any]])
            #expect(rejections.compactMap { $0["code"] as? String }.filter { $0 == "coupon_not_yours" }.count == 2)
            let text = String(decoding: try JSONSerialization.data(withJSONObject: history), as: UTF8.self)
            #expect(!text.contains(shop.alice.id))

            // The merchant sees the copies issued and redeemed.
            let list = try json(
                try await client.execute(uri: "/v1/merchant/coupons", method: .get, headers: bearer(shop.merchant.token)))
            let coupons = try #require(list["coupons"] as? [[String: Any]])
            let coupon = try #require(coupons.first { $0["coupon_id"] as? String == shop.couponId })
            #expect(coupon["copies_issued"] as? Int == 2)
            #expect(coupon["copies_redeemed"] as? Int == 2)
            #expect(coupon["uses"] as? Int == 2)
            try expectProblem(
                try await client.execute(uri: "/v1/merchant/coupons", method: .get, headers: bearer(shop.alice.token)),
                .forbidden, "forbidden")
        }
    }

    /// 25 % of the copy painted over (a quadrant, flat grey) and 1 % of its bytes' low bits
    /// flipped (seeded), as a PNG.
    static func damaged(_ png: [UInt8]) throws -> [UInt8] {
        var image = try PNGDecoder().decode(png, as: .rgb8).image
        for y in 0..<image.height / 2 {
            for x in 0..<image.width / 2 {
                let at = (y * image.width + x) * 3
                image.bytes[at] = 128
                image.bytes[at + 1] = 128
                image.bytes[at + 2] = 128
            }
        }
        var random = SplitMix64(seed: 23)
        for _ in 0..<image.bytes.count / 100 {
            image.bytes[Int(random.next() % UInt64(image.bytes.count))] ^= 1
        }
        return try PNGEncoder().encode(image)
    }

    /// The left half of one copy and the right half of another, as a PNG.
    static func spliced(_ left: [UInt8], _ right: [UInt8]) throws -> [UInt8] {
        var image = try PNGDecoder().decode(left, as: .rgb8).image
        let other = try PNGDecoder().decode(right, as: .rgb8).image
        for y in 0..<image.height {
            let row = y * image.width * 3
            for x in image.width / 2..<image.width {
                for c in 0..<3 { image.bytes[row + x * 3 + c] = other.bytes[row + x * 3 + c] }
            }
        }
        return try PNGEncoder().encode(image)
    }

    @Test(arguments: StoreKind.allCases) func aLeakedCopyIsTracedToItsMemberWhateverHappenedToIt(_ kind: StoreKind)
        async throws
    {
        let server = try await TestServer(kind, verifier: nil)
        try await server.test { client in
            let shop = try await Self.shop(server, client: client)
            let alice = try await Self.copy(shop, for: shop.alice, client: client)
            let bob = try await Self.copy(shop, for: shop.bob, client: client)

            let cases: [(String, [UInt8], String)] = [
                ("as issued", alice.png, "fragile"),
                ("25% painted, 1% of low bits flipped", try Self.damaged(alice.png), "fragile"),
                ("JPEG 75", try PictureCopy.jpeg(quality: 75).apply(to: alice.png), "robust"),
                ("WebP 50", try PictureCopy.webp(quality: 50).apply(to: alice.png), "robust"),
                ("resized 2x", try PictureCopy.resized(2).apply(to: alice.png), "robust"),
                ("2x screenshot, JPEG 80", try PictureCopy.screenshot(scale: 2, quality: 80).apply(to: alice.png), "robust"),
            ]
            for (name, picture, layer) in cases {
                let response = try await Self.trace(picture, merchant: shop.merchant, client: client)
                #expect(response.status == .ok, "\(name)")
                guard response.status == .ok else { continue }
                let trace = try json(response)
                #expect(trace["member_id"] as? String == shop.alice.id, "\(name)")
                #expect(trace["copy_id"] as? String == alice.copyId, "\(name)")
                #expect(trace["coupon_id"] as? String == shop.couponId, "\(name)")
                #expect(trace["serial"] as? String == shop.original.terms.serial, "\(name)")
                #expect(trace["layer"] as? String == layer, "\(name)")
                #expect(trace["damaged"] as? Bool == (name != "as issued"), "\(name)")
            }

            // Spliced from Alice's and Bob's copies: one of the two, or no one.
            for picture in [try Self.spliced(alice.png, bob.png), try Self.spliced(bob.png, alice.png)] {
                for variant in [picture, try PictureCopy.jpeg(quality: 80).apply(to: picture)] {
                    let response = try await Self.trace(variant, merchant: shop.merchant, client: client)
                    if response.status == .ok {
                        #expect([shop.alice.id, shop.bob.id].contains(try json(response)["member_id"] as? String))
                    } else {
                        try expectProblem(response, .notFound, "copy_not_traceable")
                    }
                }
            }

            // Not a copy of this merchant's: the original, a picture without a coupon,
            // bytes that are no picture, and Alice's copy traced by another merchant.
            try expectProblem(try await Self.trace(shop.original.png, merchant: shop.merchant, client: client), .notFound, "copy_not_traceable")
            try expectProblem(
                try await Self.trace(try PNGEncoder().encode(PixelBuffer(width: 400, height: 200, format: .rgb8)),
                    merchant: shop.merchant, client: client),
                .notFound, "copy_not_traceable")
            try expectProblem(try await Self.trace(Array("not a picture".utf8), merchant: shop.merchant, client: client), .notFound, "copy_not_traceable")
            let other = try await server.addMerchant(name: "Other")
            try expectProblem(try await Self.trace(alice.png, merchant: other, client: client), .notFound, "copy_not_traceable")
            try expectProblem(
                try await Self.trace(try PictureCopy.jpeg(quality: 75).apply(to: alice.png), merchant: other, client: client),
                .notFound, "copy_not_traceable")
        }
    }

    @Test(arguments: StoreKind.allCases) func aRotatedServerKeyStillVerifiesWhatItSigned(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind, verifier: nil)
        try await server.test { client in
            let shop = try await Self.shop(server, client: client)
            let alice = try await Self.copy(shop, for: shop.alice, client: client)
            let old = try await server.store.ensureServerKeys(at: Date())
            let new = try await server.store.rotateServerKey(at: Date())
            #expect(new.keyId != old.first?.keyId)
            // The ring is read again within a second; wait it out rather than race it.
            try await Task.sleep(for: .milliseconds(1100))
            let bob = try await Self.copy(shop, for: shop.bob, client: client)
            let ring = try await Self.ring(shop.bob.token, client: client)
            #expect(ring.serverKeys.count == 2 && ring.serverKeys.filter(\.retired).count == 1)
            let aliceBinding = try #require(try CouponRevealer(keys: ring).reveal(png: alice.png).binding)
            let bobBinding = try #require(try CouponRevealer(keys: ring).reveal(png: bob.png).binding)
            #expect(aliceBinding.serverKeyId == old.first?.keyId && bobBinding.serverKeyId == new.keyId)
            // Alice's copy, signed by the retired key, still orders.
            #expect(try await Self.order(shop.alice, shop, image: alice.png, client: client).status == .created)
            #expect(try await Self.order(shop.bob, shop, image: bob.png, client: client).status == .created)
        }
    }

    /// Two instances on one PostgreSQL database hand the same member the same copy, even
    /// when asked at the same moment, and each traces the other's copies.
    @Test func twoInstancesHandOutOneCopyAndTraceEachOthers() async throws {
        let first = try await TestServer(.postgres, verifier: nil)
        let postgres = try #require(first.store as? PostgresStore)
        let secondStore = try await PostgresStore.connect(url: postgres.url, poolSize: 2)
        let second = TestServer(.postgres, store: secondStore, directory: makeTemporaryDirectory())
        try await first.test { a in
            try await second.test { b in
                let shop = try await Self.shop(first, client: a)
                let copies = try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<6 {
                        let client = index % 2 == 0 ? a : b
                        group.addTask { try await Self.copy(shop, for: shop.alice, client: client).copyId }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(Set(copies).count == 1)
                let fromB = try await Self.copy(shop, for: shop.bob, client: b)
                let traced = try json(try await Self.trace(
                    try PictureCopy.jpeg(quality: 75).apply(to: fromB.png), merchant: shop.merchant, client: a))
                #expect(traced["member_id"] as? String == shop.bob.id)
                let fromA = try await Self.copy(shop, for: shop.alice, client: a)
                #expect(try json(try await Self.trace(fromA.png, merchant: shop.merchant, client: b))["member_id"] as? String == shop.alice.id)
            }
        }
    }
}
