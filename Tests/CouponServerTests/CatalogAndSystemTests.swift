import CouponServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import StoreTestSupport
import Testing

@Suite struct CatalogAndSystemTests {
    @Test func healthAndEmptyCatalog() async throws {
        try await TestServer().test { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(try json(health)["status"] as? String == "ok")
            let products = try await client.execute(uri: "/v1/products", method: .get)
            #expect(try json(products)["products"] as? [Any] != nil)
        }
    }

    @Test(arguments: StoreKind.allCases) func unknownProductAndCoupon(_ kind: StoreKind) async throws {
        try await TestServer(kind).test { client in
            try expectProblem(
                try await client.execute(uri: "/v1/products/prod_nope", method: .get), .notFound, "product_not_found")
            try expectProblem(
                try await client.execute(uri: "/v1/products/prod_nope/coupon", method: .get), .notFound,
                "coupon_not_found")
            try expectProblem(try await client.execute(uri: "/v2/whatever", method: .get), .notFound, "not_found")
        }
    }

    @Test(arguments: StoreKind.allCases) func productWithoutCouponHasNone(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let id = try await client.createProduct(merchant, price: 1250)
            let product = try json(try await client.execute(uri: "/v1/products/\(id)", method: .get))
            #expect(product["id"] as? String == id)
            #expect(product["merchant_id"] as? String == merchant.id)
            #expect(amount(product["price"]) == 1250)
            #expect((product["coupons"] as? [Any])?.isEmpty == true)
            try expectProblem(
                try await client.execute(uri: "/v1/products/\(id)/coupon", method: .get), .notFound, "no_coupon")
            let list = try json(try await client.execute(uri: "/v1/products", method: .get))
            #expect((list["products"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
        }
    }

    @Test func servesTheOpenAPIDocument() async throws {
        try await TestServer().test { client in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            let text = String(buffer: response.body)
            #expect(text.hasPrefix("openapi: 3.1"))
        }
    }
}
