import CouponKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import CouponServer

/// Abuse limits: joins per client address, history a page at a time, no control
/// characters in names, titles, SKUs and descriptions.
@Suite struct AbuseLimitTests {
    @Test func joinsArePerAddressAndMinute() async throws {
        let server = try TestServer(joinLimit: 3)
        try await server.test(.live) { client in
            for _ in 0..<3 { _ = try await client.join() }
            let refused = try await client.execute(
                uri: "/v1/members", method: .post,
                body: jsonBody(["kind": "individual", "name": "Flood", "email": "flood@example.org"]))
            try expectProblem(refused, .tooManyRequests, "rate_limited")
            let wait = try #require(Int(refused.headers[.retryAfter] ?? ""))
            #expect((1...20).contains(wait), "Retry-After \(wait)")
            // Only joining is limited.
            #expect(try await client.execute(uri: "/v1/products", method: .get).status == .ok)
        }
    }

    @Test func theLimiterRefillsOverTheMinute() {
        let limiter = RateLimiter(perMinute: 60)
        let start = ContinuousClock.now
        for _ in 0..<60 { #expect(limiter.take("a", now: start) == nil) }
        #expect(limiter.take("a", now: start) == 1)
        #expect(limiter.take("b", now: start) == nil, "another address has its own bucket")
        #expect(limiter.take("a", now: start + .milliseconds(1100)) == nil, "one more each second")
    }

    @Test(arguments: StoreKind.allCases) func historyComesAPageAtATime(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant)
            let member = try await client.join()
            for _ in 0..<5 { #expect(try await client.order(member, product: product).status == .created) }
            for _ in 0..<7 { _ = try await client.order(member, product: "prod_missing") }
            func page(_ query: String) async throws -> TestResponse {
                try await client.execute(uri: "/v1/members/me/history?\(query)", method: .get, headers: bearer(member.token))
            }
            var counts: [(Int, Int)] = []
            var query = "limit=3"
            var seen: Set<String> = []
            while true {
                let body = try json(try await page(query))
                let orders = try #require(body["orders"] as? [[String: Any]])
                let rejections = try #require(body["rejections"] as? [[String: Any]])
                counts.append((orders.count, rejections.count))
                for order in orders { seen.insert(try #require(order["order_id"] as? String)) }
                guard let next = body["next_cursor"] as? String else {
                    #expect(body["next_cursor"] is NSNull, "next_cursor is null on the last page")
                    break
                }
                query = "limit=3&cursor=\(next)"
            }
            #expect(counts.map(\.0) == [3, 2, 0])
            #expect(counts.map(\.1) == [3, 3, 1])
            #expect(seen.count == 5)
            let whole = try json(try await page(""))
            #expect((whole["orders"] as? [Any])?.count == 5)
            #expect(whole["next_cursor"] is NSNull)
            for bad in ["cursor=bm90LW91cnM", "cursor=%00", "limit=0", "limit=501", "limit=x"] {
                try expectProblem(try await page(bad), .badRequest, "invalid_request")
            }
        }
    }

    @Test(arguments: ["Red\u{1B}[31m", "Bell\u{07}", "Null\u{00}x", "C1\u{9B}31m", "Bidi\u{202E}gnp.exe", "Line\nbreak"])
    func controlCharactersAreRefused(_ text: String) async throws {
        let server = try TestServer()
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product: [String: Any] = [
                "sku": "SKU-1", "name": text, "description": "ok", "price": ["amount": 100, "currency": "EUR"],
            ]
            try expectProblem(
                try await client.execute(
                    uri: "/v1/merchant/products", method: .post, headers: bearer(merchant.token), body: jsonBody(product)),
                .unprocessableContent, "invalid_request")
            var asSku = product
            (asSku["sku"], asSku["name"]) = (text, "Name")
            try expectProblem(
                try await client.execute(
                    uri: "/v1/merchant/products", method: .post, headers: bearer(merchant.token), body: jsonBody(asSku)),
                .unprocessableContent, "invalid_request")
            try expectProblem(
                try await client.execute(
                    uri: "/v1/members", method: .post,
                    body: jsonBody(["kind": "individual", "name": text, "email": "c@example.org"])),
                .unprocessableContent, "invalid_request")
            let productId = try await client.createProduct(merchant)
            let coupon = FakeCoupon(productId: productId, issuerId: merchant.issuer.publicKey.id, title: text)
            try expectProblem(
                try await client.execute(
                    uri: "/v1/merchant/products/\(productId)/coupons", method: .post,
                    headers: bearer(merchant.token) + [HTTPField(name: .contentType, value: "image/png")],
                    body: ByteBuffer(bytes: coupon.bytes)),
                .unprocessableContent, "invalid_request")
        }
    }

    @Test(arguments: StoreKind.allCases) func descriptionsMayBreakLines(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product: [String: Any] = [
                "sku": "SKU-2", "name": "Kettle", "description": "Two lines:\n\tsteel\nand glass",
                "price": ["amount": 100, "currency": "EUR"],
            ]
            let response = try await client.execute(
                uri: "/v1/merchant/products", method: .post, headers: bearer(merchant.token), body: jsonBody(product))
            #expect(response.status == .created)
            var escaped = product
            escaped["description"] = "Bad\u{1B}]0;title\u{07}"
            try expectProblem(
                try await client.execute(
                    uri: "/v1/merchant/products", method: .post, headers: bearer(merchant.token), body: jsonBody(escaped)),
                .unprocessableContent, "invalid_request")
        }
    }
}
