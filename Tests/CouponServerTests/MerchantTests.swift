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

@Suite struct MerchantTests {
    func upload(
        _ client: any TestClientProtocol, _ merchant: TestMerchant, product: String, bytes: [UInt8], title: String? = nil
    ) async throws -> TestResponse {
        var headers = bearer(merchant.token)
        headers[.contentType] = "image/png"
        if let title { headers[HTTPField.Name("Coupon-Title")!] = title }
        return try await client.execute(
            uri: "/v1/merchant/products/\(product)/coupons", method: .post, headers: headers,
            body: ByteBuffer(bytes: bytes))
    }

    @Test(arguments: StoreKind.allCases) func uploadLinksTheCouponToItsProduct(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant)
            let coupon = FakeCoupon(productId: product, amount: 200, issuerId: merchant.issuer.publicKey.id)
            let response = try await upload(client, merchant, product: product, bytes: coupon.bytes, title: "2 EUR off")
            #expect(response.status == .created)
            let body = try json(response)
            let couponId = try #require(body["coupon_id"] as? String)
            #expect(body["serial"] as? String == coupon.serial)
            let discount = try #require(body["discount"] as? [String: Any])
            #expect(discount["kind"] as? String == "amount")
            #expect(amount(discount["amount"]) == 200)

            let rate = FakeCoupon(productId: product, rateBasisPoints: 1000, issuerId: merchant.issuer.publicKey.id)
            let second = try json(try await upload(client, merchant, product: product, bytes: rate.bytes))
            #expect((second["discount"] as? [String: Any])?["basis_points"] as? Int == 1000)
            #expect((second["discount"] as? [String: Any])?["kind"] as? String == "rate")

            let listed = try json(try await client.execute(uri: "/v1/products/\(product)", method: .get))
            let coupons = try #require(listed["coupons"] as? [[String: Any]])
            #expect(coupons.map { $0["id"] as? String } == [couponId, second["coupon_id"] as? String])
            #expect(coupons.first?["title"] as? String == "2 EUR off")
            #expect(coupons.last?["title"] as? String == "Test coupon")

            let image = try await client.execute(uri: "/v1/products/\(product)/coupon", method: .get)
            #expect(image.status == .ok)
            #expect(image.headers[.contentType] == "image/png")
            #expect(image.headers[HTTPField.Name("Coupon-Id")!] == second["coupon_id"] as? String)
            #expect(Array(image.body.readableBytesView) == rate.bytes)
        }
    }

    @Test(arguments: StoreKind.allCases) func uploadRefusals(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        let other = try await server.addMerchant(name: "Other")
        try await server.test { client in
            let product = try await client.createProduct(merchant)
            let otherProduct = try await client.createProduct(other)
            let issuer = merchant.issuer.publicKey.id
            let cases: [(FakeCoupon, String)] = [
                (FakeCoupon(productId: product, issuerId: other.issuer.publicKey.id), "coupon_bad_signature"),
                (FakeCoupon(productId: product, issuerId: IssuerKey().publicKey.id), "coupon_bad_signature"),
                (FakeCoupon(productId: otherProduct, issuerId: issuer), "coupon_wrong_product"),
                (FakeCoupon(productId: product, issuerId: issuer, tampered: true), "coupon_tampered"),
                (FakeCoupon(productId: product, issuerId: issuer, epoch: 7), "coupon_unknown_epoch"),
                (FakeCoupon(productId: product, issuerId: issuer, failure: "bad_seal"), "coupon_bad_seal"),
                (FakeCoupon(productId: product, amount: 5, currency: "USD", issuerId: issuer), "coupon_currency_mismatch"),
            ]
            for (coupon, code) in cases {
                try expectProblem(
                    try await upload(client, merchant, product: product, bytes: coupon.bytes), .unprocessableContent, code)
            }
            let good = FakeCoupon(productId: otherProduct, issuerId: issuer)
            try expectProblem(
                try await upload(client, merchant, product: otherProduct, bytes: good.bytes), .forbidden, "forbidden")
            try expectProblem(
                try await upload(client, merchant, product: "prod_nope", bytes: good.bytes), .notFound,
                "product_not_found")
            let product1 = try json(try await client.execute(uri: "/v1/products/\(product)", method: .get))
            #expect((product1["coupons"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: StoreKind.allCases) func merchantRoutesRefuseMembersAndStrangers(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant)
            let member = try await client.join()
            let routes: [(String, HTTPRequest.Method)] = [
                ("/v1/merchant/products", .post), ("/v1/merchant/products/\(product)/coupons", .post),
                ("/v1/merchant/orders", .get),
            ]
            for (uri, method) in routes {
                try expectProblem(
                    try await client.execute(uri: uri, method: method, body: jsonBody("{}")), .unauthorized,
                    "unauthenticated")
                try expectProblem(
                    try await client.execute(uri: uri, method: method, headers: bearer(member.token), body: jsonBody("{}")),
                    .forbidden, "forbidden")
                try expectProblem(
                    try await client.execute(uri: uri, method: method, headers: bearer("cm_merchant_x"), body: jsonBody("{}")),
                    .unauthorized, "unauthenticated")
            }
        }
    }

    @Test(arguments: StoreKind.allCases) func productValidation(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let bad422 = [
                #"{"sku":"","name":"N","price":{"amount":1,"currency":"EUR"}}"#,
                #"{"sku":"S","name":"N","price":{"amount":-1,"currency":"EUR"}}"#,
                #"{"sku":"S","name":"N","price":{"amount":1,"currency":"euro"}}"#,
            ]
            for body in bad422 {
                try expectProblem(
                    try await client.execute(
                        uri: "/v1/merchant/products", method: .post, headers: bearer(merchant.token), body: jsonBody(body)),
                    .unprocessableContent, "invalid_request")
            }
            let bad400 = [
                #"{"sku":"S","name":"N","price":{"amount":"1","currency":"EUR"}}"#,
                #"{"sku":"S","name":"N","price":{"amount":1,"currency":"EUR","tax":0}}"#,
                #"{"sku":"S","name":"N"}"#,
                #"{"sku":"S","#,
            ]
            for body in bad400 {
                try expectProblem(
                    try await client.execute(
                        uri: "/v1/merchant/products", method: .post, headers: bearer(merchant.token), body: jsonBody(body)),
                    .badRequest, "invalid_request")
            }
            let ok = try await client.execute(
                uri: "/v1/merchant/products", method: .post, headers: bearer(merchant.token),
                body: jsonBody(#"{"sku":"S","name":"N","price":{"amount":100,"currency":"EUR"}}"#))
            #expect(ok.status == .created)
            #expect(try json(ok)["description"] as? String == "")
        }
    }

    @Test(arguments: StoreKind.allCases) func merchantSeesOnlyItsOrders(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        let other = try await server.addMerchant(name: "Other")
        try await server.test { client in
            let mine = try await client.createProduct(merchant, price: 100)
            let theirs = try await client.createProduct(other, price: 200)
            let member = try await client.join()
            #expect(try await client.order(member, product: mine).status == .created)
            #expect(try await client.order(member, product: theirs).status == .created)
            let orders = try json(
                try await client.execute(uri: "/v1/merchant/orders", method: .get, headers: bearer(merchant.token)))
            let list = try #require(orders["orders"] as? [[String: Any]])
            #expect(list.map { $0["product_id"] as? String } == [mine])
        }
    }
}
