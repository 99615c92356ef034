import CouponKit
import CouponMinting
import CouponServer
import CouponSQLite
import CouponStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import StoreTestSupport
import Testing

/// The real pipeline: coupons minted with ``CouponMinter`` and revealed by the server's
/// ``WatermarkCouponVerifier``.
@Suite struct EndToEndTests {
    func mint(_ issuer: IssuerKey, revealKey: RevealKey, product: String, discount: Discount, maxUsesTotal: Int? = nil,
        validFrom: Int64? = nil, validUntil: Int64? = nil) throws -> CouponMinter.Minted
    {
        let now = Int64(Date().timeIntervalSince1970)
        let terms = CouponTerms(
            serial: "E2E-\(UUID().uuidString.prefix(8))", productId: product, title: "E2E", discount: discount,
            validFrom: validFrom ?? now - 86_400, validUntil: validUntil ?? now + 86_400, maxUsesTotal: maxUsesTotal,
            maxUsesPerMember: nil, issuerId: issuer.publicKey.id)
        return try CouponMinter(issuer: issuer, revealKey: revealKey).mint(terms)
    }

    @Test func uploadGetAndOrderWithARealCoupon() async throws {
        let server = try TestServer(verifier: nil)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let revealKey = try #require(try await server.store.keyRing().newestRevealKey)
            let product = try await client.createProduct(merchant, price: 999)
            let coupon = try mint(merchant.issuer, revealKey: revealKey, product: product, discount: .rate(basisPoints: 1500))
            let upload = try await client.execute(
                uri: "/v1/merchant/products/\(product)/coupons", method: .post, headers: bearer(merchant.token),
                body: ByteBuffer(bytes: coupon.png))
            #expect(upload.status == .created)
            let fetched = try await client.execute(uri: "/v1/products/\(product)/coupon", method: .get)
            #expect(Array(fetched.body.readableBytesView) == coupon.png)

            let member = try await client.join()
            let order = try await client.order(
                member, product: product, coupon: Data(fetched.body.readableBytesView).base64EncodedString())
            #expect(order.status == .created)
            let body = try json(order)
            #expect(amount(body["discount"]) == 150)
            #expect(amount(body["total"]) == 849)
            #expect(body["coupon_serial"] as? String == coupon.terms.serial)
            try await expectBalancedLedger(server.store, transactions: 1)
        }
    }

    @Test func forgedAndForeignCouponsAreRefused() async throws {
        let server = try TestServer(verifier: nil)
        let merchant = try await server.addMerchant()
        let other = try await server.addMerchant(name: "Other")
        try await server.test { client in
            let ring = try await server.store.keyRing()
            let revealKey = try #require(ring.newestRevealKey)
            let product = try await client.createProduct(merchant, price: 1000)
            let member = try await client.join()
            // A member holds the reveal key but not an issuer key: the signature fails.
            let forged = try mint(IssuerKey(), revealKey: revealKey, product: product, discount: .rate(basisPoints: 9000))
            try expectProblem(
                try await client.order(member, product: product, coupon: Data(forged.png).base64EncodedString()),
                .unprocessableContent, "coupon_bad_signature")
            let foreign = try mint(other.issuer, revealKey: revealKey, product: product, discount: .rate(basisPoints: 9000))
            try expectProblem(
                try await client.order(member, product: product, coupon: Data(foreign.png).base64EncodedString()),
                .unprocessableContent, "coupon_bad_signature")
            // Sealed with a key the server never issued.
            let stranger = try mint(merchant.issuer, revealKey: RevealKey(epoch: 1), product: product, discount: .rate(basisPoints: 100))
            try expectProblem(
                try await client.order(member, product: product, coupon: Data(stranger.png).base64EncodedString()),
                .unprocessableContent, "coupon_bad_seal")
            let expired = try mint(
                merchant.issuer, revealKey: revealKey, product: product, discount: .rate(basisPoints: 100),
                validFrom: 0, validUntil: 1)
            try expectProblem(
                try await client.order(member, product: product, coupon: Data(expired.png).base64EncodedString()),
                .unprocessableContent, "coupon_expired")
            let rejections = try #require(try await client.history(member)["rejections"] as? [[String: Any]])
            #expect(rejections.last?["coupon_serial"] as? String == expired.terms.serial)
            #expect(try await server.store.ledgerEntries().isEmpty)
        }
    }

    @Test func realCouponRaceForOneUse() async throws {
        let server = try TestServer(verifier: nil)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let revealKey = try #require(try await server.store.keyRing().newestRevealKey)
            let product = try await client.createProduct(merchant, price: 10)
            let coupon = try mint(
                merchant.issuer, revealKey: revealKey, product: product, discount: .rate(basisPoints: 2500), maxUsesTotal: 1)
            let encoded = Data(coupon.png).base64EncodedString()
            var members: [TestMember] = []
            for _ in 0..<10 { members.append(try await client.join()) }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for member in members {
                    group.addTask { Int(try await client.order(member, product: product, coupon: encoded).status.code) }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.filter { $0 == 422 }.count == 9)
            let ledger = try await server.store.ledgerEntries()
            #expect(ledger.map(\.amount).sorted() == [-7, 7])
        }
    }

    @Test func seedDemoIsIdempotent() async throws {
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(dataDirectory: directory)
        guard case .created(let merchant, let token, let products) = try await DemoSeed.run(dataDirectory: directory, store: store)
        else {
            Issue.record("expected a fresh demo")
            return
        }
        #expect(products.count == 4)
        #expect(products.allSatisfy { $0.coupons.count == 1 && $0.price.currency.code == "EUR" })
        #expect(try String(contentsOfFile: directory + "/demo/merchant.token", encoding: .utf8).contains(token))
        let keyMode = try FileManager.default.attributesOfItem(atPath: directory + "/demo/issuer.key")[.posixPermissions]
        #expect((keyMode as? NSNumber)?.intValue == 0o600)
        guard case .alreadyPresent(let id) = try await DemoSeed.run(dataDirectory: directory, store: store) else {
            Issue.record("expected the demo to be kept")
            return
        }
        #expect(id == merchant.id)
        #expect(try await store.products().count == 4)
    }
}
