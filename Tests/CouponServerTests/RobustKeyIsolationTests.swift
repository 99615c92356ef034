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

/// Per-merchant robust keys (hole H2 of the adversarial review: every merchant had the
/// same robust key and coupons' identifiers were public, so merchant A could mark a blank
/// picture with merchant B's staff coupon's identifier and order B's product at 90 % off).
/// The attack is run as an attacker would run it, through HTTP, on both stores.
@Suite struct RobustKeyIsolationTests {
    /// What a merchant learns from `GET /v1/keys` with its own token.
    struct RobustKeysSeen {
        struct Entry {
            let generation: Int
            let key: RobustKey
            let current: Bool
            let retired: Bool
            let derivation: String
        }
        let current: RobustKey
        let all: [Entry]
    }

    static func robustKeys(_ merchant: TestMerchant, client: any TestClientProtocol) async throws -> RobustKeysSeen {
        let keys = try json(try await client.execute(uri: "/v1/keys", method: .get, headers: bearer(merchant.token)))
        let currentText = try #require(keys["robust_key"] as? String)
        let current = try #require(RobustKey(base64: currentText))
        let list = try #require(keys["robust_keys"] as? [[String: Any]])
        return RobustKeysSeen(
            current: current,
            all: try list.map { entry in
                let text = try #require(entry["key"] as? String)
                return RobustKeysSeen.Entry(
                    generation: try #require(entry["generation"] as? Int),
                    key: try #require(RobustKey(base64: text)),
                    current: try #require(entry["current"] as? Bool), retired: try #require(entry["retired"] as? Bool),
                    derivation: try #require(entry["derivation"] as? String))
            })
    }

    /// A coupon for `product` minted with `robustKey` (the merchant's, as `coupon mint`
    /// takes it from the profile `coupon merchant login` saved).
    static func mint(
        _ merchant: TestMerchant, product: String, basisPoints: Int, robustKey: RobustKey?, store: any CouponRepository
    ) async throws -> CouponMinter.Minted {
        let now = Int64(Date().timeIntervalSince1970)
        var minter = CouponMinter(issuer: merchant.issuer, revealKey: try #require(try await store.keyRing().newestRevealKey))
        minter.robustKey = robustKey
        return try minter.mint(
            CouponTerms(
                serial: "ISO-\(UUID().uuidString.prefix(8))", productId: product, title: "Deal",
                discount: .rate(basisPoints: basisPoints), validFrom: now - 86_400, validUntil: now + 86_400,
                maxUsesPerMember: nil, issuerId: merchant.issuer.publicKey.id))
    }

    static func upload(
        _ coupon: CouponMinter.Minted, product: String, merchant: TestMerchant, client: any TestClientProtocol
    ) async throws -> [String: Any] {
        let response = try await client.execute(
            uri: "/v1/merchant/products/\(product)/coupons", method: .post, headers: bearer(merchant.token),
            body: ByteBuffer(bytes: coupon.png))
        #expect(response.status == .created)
        return try json(response)
    }

    /// The attacker's forgery: a blank picture (its own coupon artwork, minted without
    /// the robust layer) marked with `id` under `key`, saved as JPEG 90. The test checks
    /// that the mark really reads back under `key`, so a refusal is the server's scoping,
    /// not a broken picture.
    static func forge(id: UInt64, key: RobustKey, blank: [UInt8]) throws -> [UInt8] {
        let art = try PNGDecoder().decode(blank).image
        let marked = RobustMark.embed(art.toRGB() ?? art, id: id, key: key)
        let jpeg = try PictureCopy.jpeg(quality: 90).apply(to: try PNGEncoder().encode(marked))
        #expect(RobustMark.detect(try ImageDecoder().decode(jpeg).image, key: key)?.id == id, "the forgery reads back")
        return jpeg
    }

    static func order(
        _ member: TestMember, product: String, image: [UInt8], client: any TestClientProtocol
    ) async throws -> TestResponse {
        var headers = bearer(member.token)
        headers[HTTPField.Name("Idempotency-Key")!] = UUID().uuidString
        return try await client.execute(
            uri: "/v1/orders", method: .post, headers: headers,
            body: jsonBody(["product_id": product, "quantity": 1, "coupon_image": Data(image).base64EncodedString()] as [String: Any]))
    }

    /// Two fresh members order `product` with each forgery: every order is refused with a
    /// coupon reason code (422) and recorded in that member's history; nothing settles.
    static func expectRefused(
        _ forgeries: [(String, [UInt8])], product: String, client: any TestClientProtocol,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        for (label, jpeg) in forgeries {
            for _ in 0..<2 {
                let member = try await client.join()
                let response = try await order(member, product: product, image: jpeg, client: client)
                #expect(response.status == .unprocessableContent, "\(label)", sourceLocation: sourceLocation)
                let code = try json(response)["code"] as? String
                #expect(code?.hasPrefix("coupon_") == true, "\(label): \(code ?? "nil")", sourceLocation: sourceLocation)
                let history = try await client.history(member)
                #expect((history["orders"] as? [Any])?.isEmpty == true, "\(label)", sourceLocation: sourceLocation)
                let rejections = try #require(history["rejections"] as? [[String: Any]])
                #expect(rejections.map { $0["code"] as? String } == [code], "\(label)", sourceLocation: sourceLocation)
                #expect(rejections.first?["product_id"] as? String == product, "\(label)", sourceLocation: sourceLocation)
            }
        }
    }

    /// On a database that never had the shared key: A marks B's coupon's identifier (the
    /// public v1 derivation, and the v2 one A cannot compute, here computed with B's key
    /// to show that even the right identifier does not help) under its own key; B's
    /// product refuses every such copy, while A's and B's own copies still order.
    @Test(arguments: StoreKind.allCases) func aMerchantCannotMarkAnotherMerchantsCoupon(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind, verifier: nil)
        let (a, b) = (try await server.addMerchant(name: "A"), try await server.addMerchant(name: "B"))
        try await server.test { client in
            let productA = try await client.createProduct(a, price: 5000)
            let productB = try await client.createProduct(b, price: 10000)
            let keysA = try await Self.robustKeys(a, client: client)
            let keysB = try await Self.robustKeys(b, client: client)
            let staff = try await Self.mint(b, product: productB, basisPoints: 9000, robustKey: keysB.current, store: server.store)
            #expect(try await Self.upload(staff, product: productB, merchant: b, client: client)["robust_layer"] as? Bool == true)

            // The attacker's side: A's own blank picture and A's own key.
            let blank = try await Self.mint(a, product: productA, basisPoints: 100, robustKey: nil, store: server.store).png
            let (issuer, serial) = (staff.terms.issuerId, staff.terms.serial)
            let v1 = CouponRobustIdentity.identifier(issuerId: issuer, serial: serial)
            let v2 = CouponRobustIdentity.identifier(issuerId: issuer, serial: serial, key: keysB.current)
            #expect(v1 != v2)
            try await Self.expectRefused(
                [
                    ("v1 id under A's key", try Self.forge(id: v1, key: keysA.current, blank: blank)),
                    ("v2 id under A's key", try Self.forge(id: v2, key: keysA.current, blank: blank)),
                ], product: productB, client: client)

            // A's own coupon's copy still orders A's product; B's genuine copy orders B's.
            let own = try await Self.mint(a, product: productA, basisPoints: 1000, robustKey: keysA.current, store: server.store)
            #expect(try await Self.upload(own, product: productA, merchant: a, client: client)["robust_layer"] as? Bool == true)
            let ownCopy = try PictureCopy.jpeg(quality: 75).apply(to: own.png)
            let ordered = try await Self.order(try await client.join(), product: productA, image: ownCopy, client: client)
            #expect(ordered.status == .created)
            #expect(try json(ordered)["coupon_layer"] as? String == "robust")
            #expect(amount(try json(ordered)["discount"]) == 500)
            let genuine = try PictureCopy.jpeg(quality: 75).apply(to: staff.png)
            let staffOrder = try await Self.order(try await client.join(), product: productB, image: genuine, client: client)
            #expect(staffOrder.status == .created)
            #expect(amount(try json(staffOrder)["discount"]) == 9000)
            // A's own copy is no coupon for B's product either.
            let crossed = try await Self.order(try await client.join(), product: productB, image: ownCopy, client: client)
            #expect(crossed.status == .unprocessableContent)
        }
    }

    /// `GET /v1/keys`: a merchant sees its own robust keys and never another's; a member
    /// sees none.
    @Test(arguments: StoreKind.allCases) func keysShowOnlyTheCallersRobustKeys(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind, verifier: nil)
        let (a, b) = (try await server.addMerchant(name: "A"), try await server.addMerchant(name: "B"))
        _ = try await server.store.rotateRobustKey(merchantId: b.id, at: Date())
        try await server.test { client in
            let keysA = try await Self.robustKeys(a, client: client)
            let keysB = try await Self.robustKeys(b, client: client)
            let storedA = try await server.store.robustKeys(merchantId: a.id).map { $0.key.rawBytes }
            let storedB = try await server.store.robustKeys(merchantId: b.id).map { $0.key.rawBytes }
            #expect(keysA.all.map { $0.key.rawBytes } == storedA)
            #expect(keysB.all.map { $0.key.rawBytes } == storedB)
            #expect(keysB.all.map(\.generation) == [2, 1])
            #expect(keysB.all.map(\.current) == [true, false])
            #expect(keysB.current.rawBytes == storedB[0])
            #expect(Set(storedA).isDisjoint(with: storedB))
            let readable = try await server.store.readableRobustKeys(limit: 10)
            #expect(readable.filter { $0.merchantId == b.id }.map { "\($0.generation):\($0.current)" } == ["1:false", "2:true"])
            #expect(readable.filter { $0.merchantId == a.id }.map { "\($0.generation):\($0.current)" } == ["1:true"])
            #expect(try await server.store.readableRobustKeys(limit: 2).count == 2)
            let member = try await client.join()
            let memberKeys = try json(try await client.execute(uri: "/v1/keys", method: .get, headers: bearer(member.token)))
            #expect(memberKeys["robust_key"] == nil)
            #expect(memberKeys["robust_keys"] == nil)
        }
    }

    /// Rotation: a copy minted under the old key still orders after rotating, a coupon
    /// minted under the new key orders too, and after retiring only the current key reads
    /// (the old coupon's original PNG still orders through its fragile layer).
    @Test(arguments: StoreKind.allCases) func rotatingKeepsOldCopiesUntilRetired(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind, verifier: nil)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant, price: 2000)
            let before = try await Self.robustKeys(merchant, client: client)
            let old = try await Self.mint(merchant, product: product, basisPoints: 2500, robustKey: before.current, store: server.store)
            _ = try await Self.upload(old, product: product, merchant: merchant, client: client)
            let oldCopy = try PictureCopy.screenshot(scale: 2, quality: 80).apply(to: old.png)

            let rotated = try await server.store.rotateRobustKey(merchantId: merchant.id, at: Date())
            #expect(rotated.generation == 2 && rotated.current)
            let after = try await Self.robustKeys(merchant, client: client)
            #expect(after.current.rawBytes == rotated.key.rawBytes)
            #expect(after.all.map(\.retired) == [false, false])
            #expect(try await Self.order(try await client.join(), product: product, image: oldCopy, client: client).status == .created)

            let new = try await Self.mint(merchant, product: product, basisPoints: 1000, robustKey: after.current, store: server.store)
            #expect(try await Self.upload(new, product: product, merchant: merchant, client: client)["robust_layer"] as? Bool == true)
            let newCopy = try PictureCopy.jpeg(quality: 75).apply(to: new.png)

            let retired = try await server.store.retireRobustKeys(merchantId: merchant.id, at: Date())
            #expect(retired.map(\.generation) == [1])
            #expect(try await server.store.retireRobustKeys(merchantId: merchant.id, at: Date()).isEmpty, "again retires nothing")
            #expect(try await Self.robustKeys(merchant, client: client).all.map(\.retired) == [false, true])
            let member = try await client.join()
            try expectProblem(
                try await Self.order(member, product: product, image: oldCopy, client: client), .unprocessableContent,
                "coupon_unreadable")
            #expect((try await client.history(member)["rejections"] as? [Any])?.count == 1)
            #expect(try await Self.order(try await client.join(), product: product, image: newCopy, client: client).status == .created)
            let original = try await client.order(
                try await client.join(), product: product, coupon: Data(old.png).base64EncodedString())
            #expect(original.status == .created)
            #expect(try json(original)["coupon_layer"] as? String == "fragile")
        }
    }

    /// A merchant holds at most ``MerchantRobustKeys/readableLimit`` readable keys:
    /// rotating beyond is refused until the older ones are retired.
    @Test(arguments: StoreKind.allCases) func rotationIsBoundedByTheReadableLimit(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind, verifier: nil)
        let merchant = try await server.addMerchant()
        try await server.test { _ in
            for _ in 1..<MerchantRobustKeys.readableLimit {
                _ = try await server.store.rotateRobustKey(merchantId: merchant.id, at: Date())
            }
            await #expect(throws: StoreError.tooManyRobustKeys(merchantId: merchant.id, limit: MerchantRobustKeys.readableLimit)) {
                try await server.store.rotateRobustKey(merchantId: merchant.id, at: Date())
            }
            #expect(try await server.store.retireRobustKeys(merchantId: merchant.id, at: Date()).count == 3)
            #expect(try await server.store.rotateRobustKey(merchantId: merchant.id, at: Date()).generation == 5)
            await #expect(throws: StoreError.merchantNotFound("mch_nobody")) {
                try await server.store.rotateRobustKey(merchantId: "mch_nobody", at: Date())
            }
        }
    }

    /// A database from the shared-key days, migrated: B's coupon uploaded then still
    /// orders from a copy (v1 identifier under the shared key, now B's generation 1);
    /// B's new coupon is minted and recorded under B's own key. A, who held the shared
    /// key and still sees it as its own generation 1, marks B's new coupon's identifier
    /// (v1 and v2) under the shared key and under its own new key: every copy is refused.
    /// Once B retires its old keys, the old coupon's copies (genuine or forged by A) are
    /// refused too.
    @Test(arguments: StoreKind.allCases) func theMigrationKeepsOldCopiesAndClosesTheSharedKey(_ kind: StoreKind) async throws {
        let (legacy, server) = try await LegacySharedKeyDatabase.make(kind)
        let (a, b) = (legacy.a, legacy.b)
        try await server.test { client in
            let keysA = try await Self.robustKeys(a, client: client)
            let keysB = try await Self.robustKeys(b, client: client)
            #expect(keysA.all.map(\.derivation) == ["v2", "v1"])
            #expect(keysA.all.last?.key.rawBytes == legacy.sharedKey.rawBytes, "the shared key, kept readable")
            #expect(keysB.current.rawBytes != legacy.sharedKey.rawBytes)
            #expect(keysA.current.rawBytes != keysB.current.rawBytes, "each merchant's own new key")
            #expect(!keysA.all.contains { $0.key.rawBytes == keysB.current.rawBytes })

            // The coupon uploaded before the migration: its copy still orders.
            let oldCopy = try PictureCopy.jpeg(quality: 75).apply(to: legacy.oldCoupon.png)
            let oldOrder = try await Self.order(try await client.join(), product: legacy.productB, image: oldCopy, client: client)
            #expect(oldOrder.status == .created)
            #expect(try json(oldOrder)["coupon_layer"] as? String == "robust")
            #expect(amount(try json(oldOrder)["discount"]) == 9000)

            // B's new private staff coupon, minted with B's own key after `merchant login`.
            let staff = try await Self.mint(b, product: legacy.productB, basisPoints: 9000, robustKey: keysB.current, store: server.store)
            #expect(try await Self.upload(staff, product: legacy.productB, merchant: b, client: client)["robust_layer"] as? Bool == true)
            // An old profile's shared key, or the v1 identifier, no longer counts for an upload.
            var oldStyle = CouponMinter(issuer: b.issuer, revealKey: legacy.revealKey)
            oldStyle.robustKey = legacy.sharedKey
            oldStyle.robustDerivation = .v1
            let now = Int64(Date().timeIntervalSince1970)
            let stale = try oldStyle.mint(
                CouponTerms(
                    serial: "STALE-1", productId: legacy.productB, title: "Stale", discount: .rate(basisPoints: 9000),
                    validFrom: now - 60, validUntil: now + 86_400, issuerId: b.issuer.publicKey.id))
            #expect(try await Self.upload(stale, product: legacy.productB, merchant: b, client: client)["robust_layer"] as? Bool == false)
            try await Self.expectRefused(
                [("stale upload's copy", try PictureCopy.jpeg(quality: 75).apply(to: stale.png))], product: legacy.productB,
                client: client)

            // The attack.
            let blank = try await Self.mint(a, product: legacy.productA, basisPoints: 100, robustKey: nil, store: server.store).png
            let (issuer, serial) = (staff.terms.issuerId, staff.terms.serial)
            let v1 = CouponRobustIdentity.identifier(issuerId: issuer, serial: serial)
            let v2 = CouponRobustIdentity.identifier(issuerId: issuer, serial: serial, key: keysB.current)
            let shared = try #require(keysA.all.first { $0.derivation == "v1" }).key
            try await Self.expectRefused(
                [
                    ("v1 id under the shared key", try Self.forge(id: v1, key: shared, blank: blank)),
                    ("v2 id under the shared key", try Self.forge(id: v2, key: shared, blank: blank)),
                    ("v1 id under A's key", try Self.forge(id: v1, key: keysA.current, blank: blank)),
                    ("v2 id under A's key", try Self.forge(id: v2, key: keysA.current, blank: blank)),
                ], product: legacy.productB, client: client)

            // A's own coupons, old and new, still order A's product.
            let own = try await Self.mint(a, product: legacy.productA, basisPoints: 1000, robustKey: keysA.current, store: server.store)
            #expect(try await Self.upload(own, product: legacy.productA, merchant: a, client: client)["robust_layer"] as? Bool == true)
            let ownOrder = try await Self.order(
                try await client.join(), product: legacy.productA, image: try PictureCopy.jpeg(quality: 75).apply(to: own.png),
                client: client)
            #expect(ownOrder.status == .created)

            // The known limit until B retires: the shared key's v1 identifiers of B's
            // *old* coupons are public, so A can forge those; retiring ends it.
            let oldId = CouponRobustIdentity.identifier(issuerId: legacy.oldCoupon.terms.issuerId, serial: legacy.oldCoupon.terms.serial)
            let forgedOld = try Self.forge(id: oldId, key: shared, blank: blank)
            #expect(try await Self.order(try await client.join(), product: legacy.productB, image: forgedOld, client: client).status == .created)
            #expect(try await server.store.retireRobustKeys(merchantId: b.id, at: Date()).map(\.generation) == [1])
            try await Self.expectRefused(
                [("the old coupon's copy after retiring", oldCopy), ("A's forgery of it after retiring", forgedOld)],
                product: legacy.productB, client: client)
            // B's new coupon's copy still orders; A's old keys are A's business.
            let staffCopy = try PictureCopy.jpeg(quality: 75).apply(to: staff.png)
            #expect(try await Self.order(try await client.join(), product: legacy.productB, image: staffCopy, client: client).status == .created)
        }
    }

    /// `POST /v1/coupons/identify` for members reads a bounded set of keys: without
    /// `product_id` every merchant's while there are at most
    /// `IdentifyScope.unscopedKeyLimit` readable keys, otherwise 422 asking for it; with
    /// it, that product's merchant's. A merchant identifies only copies under its own keys.
    @Test func identifyReadsABoundedSetOfKeys() async throws {
        let server = try TestServer(verifier: nil)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant)
            let coupon = try await Self.mint(
                merchant, product: product, basisPoints: 1500, robustKey: try await currentRobustKey(of: merchant, in: server.store),
                store: server.store)
            _ = try await Self.upload(coupon, product: product, merchant: merchant, client: client)
            let copy = try PictureCopy.jpeg(quality: 75).apply(to: coupon.png)
            let member = try await client.join()
            func identify(_ token: String, query: String = "") async throws -> TestResponse {
                try await client.execute(
                    uri: "/v1/coupons/identify\(query)", method: .post, headers: bearer(token), body: ByteBuffer(bytes: copy))
            }
            #expect(try await identify(member.token).status == .ok)

            for index in 0..<8 { _ = try await server.addMerchant(name: "Other \(index)") }  // 9 readable keys
            try expectProblem(try await identify(member.token), .unprocessableContent, "invalid_request")
            let scoped = try await identify(member.token, query: "?product_id=\(product)")
            #expect(scoped.status == .ok)
            #expect(try json(scoped)["product_id"] as? String == product)
            try expectProblem(try await identify(member.token, query: "?product_id=prod_nothing"), .notFound, "product_not_found")
            #expect(try await identify(merchant.token).status == .ok)
            let other = try await server.addMerchant(name: "Stranger")
            try expectProblem(try await identify(other.token), .unprocessableContent, "coupon_unreadable")
            // An original needs no robust key: identified without product_id.
            let original = try await client.execute(
                uri: "/v1/coupons/identify", method: .post, headers: bearer(member.token), body: ByteBuffer(bytes: coupon.png))
            #expect(original.status == .ok)
        }
    }
}
