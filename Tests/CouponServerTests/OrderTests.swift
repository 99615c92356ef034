import CouponKit
import CouponServer
import CouponStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import StoreTestSupport
import Testing

/// The order rules on fake coupons (see ``FakeVerifier``): money, every reason code,
/// idempotency, history.
@Suite struct OrderTests {
    @Test(arguments: StoreKind.allCases) func orderWithoutCouponSettlesAtListPrice(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant, price: 250)
            let member = try await client.join()
            let response = try await client.order(member, product: product, quantity: 3)
            #expect(response.status == .created)
            let order = try json(response)
            #expect(amount(order["list_total"]) == 750)
            #expect(amount(order["discount"]) == 0)
            #expect(amount(order["total"]) == 750)
            #expect(order["coupon_serial"] is NSNull)
            #expect((order["payment"] as? [String: Any])?["status"] as? String == "settled")
            let ledger = try await server.store.ledgerEntries()
            #expect(ledger.map(\.amount).sorted() == [-750, 750])
            #expect(Set(ledger.map(\.account)) == ["member:\(member.id)", "merchant:\(merchant.id)"])
        }
    }

    /// The rounding examples of the money rules (CouponKit.docc) and an amount discount.
    @Test(arguments: [
        (999, 1, 1500, nil, 150, 849),
        (10, 1, 2500, nil, 3, 7),
        (999, 3, 1500, nil, 450, 2547),
        (1000, 2, nil, 500, 500, 1500),
        (300, 1, nil, 500, 300, 0),
    ] as [(Int64, Int, Int?, Int64?, Int64, Int64)])
    func money(price: Int64, quantity: Int, rate: Int?, off: Int64?, discount: Int64, total: Int64) async throws {
        let server = try TestServer()
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant, price: price)
            let member = try await client.join()
            let coupon = FakeCoupon(
                productId: product, rateBasisPoints: rate, amount: off, issuerId: merchant.issuer.publicKey.id)
            let response = try await client.order(member, product: product, quantity: quantity, coupon: coupon.base64)
            #expect(response.status == .created)
            let order = try json(response)
            #expect(amount(order["list_total"]) == price * Int64(quantity))
            #expect(amount(order["discount"]) == discount)
            #expect(amount(order["total"]) == total)
            #expect(order["coupon_serial"] as? String == coupon.serial)
        }
    }

    enum Variant: String, CaseIterable {
        case unreadable, unknownEpoch, badSeal, unknownIssuer, otherMerchant, tampered, notYetValid, expired
        case wrongProduct, currencyMismatch
    }

    @Test(arguments: StoreKind.allCases, Variant.allCases) func couponRejection(_ kind: StoreKind, _ variant: Variant) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        let other = try await server.addMerchant(name: "Other")
        try await server.test { client in
            let product = try await client.createProduct(merchant, price: 1000)
            let otherProduct = try await client.createProduct(merchant, price: 1000)
            let member = try await client.join()
            var coupon = FakeCoupon(productId: product, issuerId: merchant.issuer.publicKey.id)
            let now = Int64(Date().timeIntervalSince1970)
            let expected: String
            var serialKnown = true
            switch variant {
            case .unreadable:
                coupon.failure = "unreadable"; expected = "coupon_unreadable"; serialKnown = false
            case .unknownEpoch: coupon.epoch = 9; expected = "coupon_unknown_epoch"; serialKnown = false
            case .badSeal: coupon.failure = "bad_seal"; expected = "coupon_bad_seal"; serialKnown = false
            case .unknownIssuer:
                coupon.issuerId = IssuerKey().publicKey.id; expected = "coupon_bad_signature"; serialKnown = false
            case .otherMerchant: coupon.issuerId = other.issuer.publicKey.id; expected = "coupon_bad_signature"
            case .tampered: coupon.tampered = true; expected = "coupon_tampered"
            case .notYetValid: coupon.validFrom = now + 3600; coupon.validUntil = now + 7200; expected = "coupon_not_yet_valid"
            case .expired: coupon.validFrom = now - 7200; coupon.validUntil = now - 3600; expected = "coupon_expired"
            case .wrongProduct: coupon.productId = otherProduct; expected = "coupon_wrong_product"
            case .currencyMismatch:
                coupon.rateBasisPoints = nil; coupon.amount = 100; coupon.currency = "USD"
                expected = "coupon_currency_mismatch"
            }
            let response = try await client.order(member, product: product, coupon: coupon.base64)
            try expectProblem(response, .unprocessableContent, expected)

            // Only a history row: no order, no ledger entry.
            let history = try await client.history(member)
            #expect((history["orders"] as? [Any])?.isEmpty == true)
            let rejections = try #require(history["rejections"] as? [[String: Any]])
            #expect(rejections.count == 1)
            #expect(rejections.first?["code"] as? String == expected)
            #expect(rejections.first?["product_id"] as? String == product)
            if serialKnown {
                #expect(rejections.first?["coupon_serial"] as? String == coupon.serial)
            } else {
                #expect(rejections.first?["coupon_serial"] is NSNull)
            }
            let at = try #require(rejections.first?["at"] as? String)
            #expect(at.hasSuffix("Z") && at.count == 20)
            #expect(try await server.store.ledgerEntries().isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases) func exhaustedTotalAndPerMember(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant, price: 1000)
            let ann = try await client.join()
            let bob = try await client.join()
            let perMember = FakeCoupon(productId: product, maxUsesPerMember: 1, issuerId: merchant.issuer.publicKey.id)
            #expect(try await client.order(ann, product: product, coupon: perMember.base64).status == .created)
            try expectProblem(
                try await client.order(ann, product: product, coupon: perMember.base64), .unprocessableContent,
                "coupon_exhausted")
            #expect(try await client.order(bob, product: product, coupon: perMember.base64).status == .created)

            let total = FakeCoupon(productId: product, maxUsesTotal: 1, issuerId: merchant.issuer.publicKey.id)
            #expect(try await client.order(ann, product: product, coupon: total.base64).status == .created)
            try expectProblem(
                try await client.order(bob, product: product, coupon: total.base64), .unprocessableContent,
                "coupon_exhausted")
            let rejection = try #require((try await client.history(bob)["rejections"] as? [[String: Any]])?.first)
            #expect(rejection["coupon_serial"] as? String == total.serial)
            #expect(try await server.store.ledgerEntries().count == 6)
        }
    }

    @Test(arguments: StoreKind.allCases) func orderRequestErrors(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant)
            let member = try await client.join()
            try expectProblem(
                try await client.order(member, product: product, key: nil), .badRequest, "invalid_request")
            try expectProblem(
                try await client.order(member, product: product, quantity: 0), .unprocessableContent, "invalid_request")
            try expectProblem(
                try await client.order(member, product: "prod_missing"), .notFound, "product_not_found")
            try expectProblem(
                try await client.order(member, product: product, coupon: "***not base64***"), .badRequest,
                "invalid_request")
            let headers = bearer(member.token) + [HTTPField(name: HTTPField.Name("Idempotency-Key")!, value: "k1")]
            for body in [
                #"{"product_id":"\#(product)","quantity":1"#,
                #"{"product_id":"\#(product)","quantity":"1"}"#,
                #"{"product_id":"\#(product)","quantity":1,"price":1}"#,
                #"{"quantity":1}"#,
            ] {
                try expectProblem(
                    try await client.execute(uri: "/v1/orders", method: .post, headers: headers, body: jsonBody(body)),
                    .badRequest, "invalid_request")
            }
            let rejections = try #require(try await client.history(member)["rejections"] as? [[String: Any]])
            #expect(rejections.count == 8)
            #expect(rejections[1]["product_id"] is NSNull)
            #expect(try await server.store.ledgerEntries().isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases) func idempotentReplayAndConflict(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant, price: 999)
            let member = try await client.join()
            let coupon = FakeCoupon(productId: product, maxUsesPerMember: 1, issuerId: merchant.issuer.publicKey.id)
            let first = try await client.order(member, product: product, coupon: coupon.base64, key: "order-1")
            #expect(first.status == .created)
            let again = try await client.order(member, product: product, coupon: coupon.base64, key: "order-1")
            #expect(again.status == .created)
            #expect(again.body == first.body)
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            try expectProblem(
                try await client.order(member, product: product, quantity: 2, coupon: coupon.base64, key: "order-1"),
                .unprocessableContent, "idempotency_conflict")
            // Another member may use the same key for its own order.
            let other = try await client.join()
            #expect(try await client.order(other, product: product, key: "order-1").status == .created)
            #expect(try await server.store.ledgerEntries().count == 4)
            let history = try await client.history(member)
            #expect((history["orders"] as? [Any])?.count == 1)
            #expect((history["rejections"] as? [[String: Any]])?.map { $0["code"] as? String } == ["idempotency_conflict"])
        }
    }

    /// Pricing is kept once read, but a product that was missing is looked up again.
    @Test(arguments: StoreKind.allCases) func aProductMissingAtFirstCanBeOrderedOnceItExists(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let member = try await client.join()
            try expectProblem(
                try await client.order(member, product: "prod_later"), .notFound, "product_not_found")
            _ = try await server.store.createProduct(
                NewProduct(
                    id: "prod_later", merchantId: merchant.id, sku: "L", name: "Later", description: "",
                    price: Money(amount: 250, currency: Currency("EUR")!)), at: Date())
            let response = try await client.order(member, product: "prod_later", quantity: 2)
            #expect(response.status == .created)
            #expect(amount(try json(response)["total"]) == 500)
        }
    }

    @Test(arguments: StoreKind.allCases) func ordersAreForMembersOnly(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant)
            let member = try await client.join()
            let body = jsonBody(["product_id": product, "quantity": 1] as [String: Any])
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "k"]
            try expectProblem(
                try await client.execute(uri: "/v1/orders", method: .post, headers: key, body: body), .unauthorized,
                "unauthenticated")
            try expectProblem(
                try await client.execute(
                    uri: "/v1/orders", method: .post, headers: key + [HTTPField(name: .authorization, value: "Bearer")],
                    body: body), .unauthorized, "unauthenticated")
            try await server.store.revokeToken(hash: AccessToken.hash(member.token))
            try expectProblem(
                try await client.execute(uri: "/v1/orders", method: .post, headers: key + bearer(merchant.token), body: body),
                .forbidden, "not_a_member")
            // Unknown and revoked tokens authenticate no one.
            for token in ["cm_member_forged", member.token] {
                try expectProblem(
                    try await client.execute(uri: "/v1/orders", method: .post, headers: key + bearer(token), body: body),
                    .unauthorized, "unauthenticated")
            }
        }
    }
}

extension HTTPFields {
    static func + (lhs: HTTPFields, rhs: HTTPFields) -> HTTPFields {
        var out = lhs
        out.append(contentsOf: rhs)
        return out
    }
}
