import CouponKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import StoreTestSupport
import Testing
import CouponSQLite
import CouponStore

@testable import CouponServer

/// Abuse limits: joins per client address and in all (whatever the path's spelling),
/// JSON routes only for JSON, history a page at a time, no control, format or invisible
/// characters in names, titles, SKUs and descriptions, lengths in bytes, sane quantities.
@Suite struct AbuseLimitTests {
    @Test func joinsArePerAddressAndMinute() async throws {
        let server = try TestServer(joinLimit: 3).withFrozenClock()
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
        let limiter = RateBuckets()
        let start = Date()
        for _ in 0..<60 { #expect(limiter.take("a", perMinute: 60, at: start) == nil) }
        #expect(limiter.take("a", perMinute: 60, at: start) == 1)
        #expect(limiter.take("b", perMinute: 60, at: start) == nil, "another address has its own bucket")
        #expect(limiter.take("a", perMinute: 60, at: start - 30) == 1, "a clock that steps back refills nothing")
        #expect(limiter.take("a", perMinute: 60, at: start + 1.1) == nil, "one more each second")
        #expect(limiter.take("a", perMinute: 60, at: start + 1.1) == 1)
    }

    /// The join limit keys on the operation the router matched: a trailing slash or a
    /// doubled one reaches the same operation and the same limit (it was bypassed by
    /// comparing the raw path).
    @Test func joinsCannotEscapeTheLimitBySpellingThePathDifferently() async throws {
        let server = try TestServer(joinLimit: 3).withFrozenClock()
        try await server.test(.live) { client in
            var statuses: [HTTPResponse.Status] = []
            for (index, path) in ["/v1/members/", "//v1/members", "/v1//members", "/v1/members", "/v1/members/"].enumerated() {
                let response = try await client.execute(
                    uri: path, method: .post,
                    body: jsonBody(["kind": "individual", "name": "Spelling", "email": "spell\(index)@example.org"]))
                statuses.append(response.status)
            }
            #expect(statuses.filter { $0 == .created }.count == 3, "\(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 2, "\(statuses)")
        }
    }

    /// `--join-limit-total`: sign-ups from all addresses together.
    @Test(arguments: StoreKind.allCases) func joinsAreLimitedInAll(_ kind: StoreKind) async throws {
        var configured = try await TestServer(kind).withFrozenClock()
        configured.configuration.joinLimitTotal = 2
        let server = configured
        try await server.test { client in
            _ = try await client.join()
            _ = try await client.join()
            try expectProblem(
                try await client.execute(
                    uri: "/v1/members", method: .post,
                    body: jsonBody(["kind": "individual", "name": "Third", "email": "third@example.org"])),
                .tooManyRequests, "rate_limited")
        }
    }

    /// A CORS "simple request" (text/plain, a form, no type) cannot carry JSON: 415,
    /// nothing done. JSON with a charset parameter is JSON.
    @Test func jsonRoutesTakeOnlyJSON() async throws {
        let server = try TestServer()
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let member = try await client.join()
            let product = try await client.createProduct(merchant)
            let join = jsonBody(["kind": "individual", "name": "Page", "email": "page@example.org"])
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"] {
                try expectProblem(
                    try await client.execute(
                        uri: "/v1/members", method: .post, headers: [.contentType: type], body: join),
                    .unsupportedMediaType, "unsupported_media_type")
            }
            var orderHeaders = bearer(member.token)
            orderHeaders[HTTPField.Name("Idempotency-Key")!] = "cors-1"
            orderHeaders[.contentType] = "text/plain"
            try expectProblem(
                try await client.execute(
                    uri: "/v1/orders", method: .post, headers: orderHeaders,
                    body: jsonBody(["product_id": product, "quantity": 1] as [String: Any])),
                .unsupportedMediaType, "unsupported_media_type")
            #expect((try await client.history(member)["orders"] as? [Any])?.isEmpty == true)
            #expect(
                try await client.execute(
                    uri: "/v1/members", method: .post, headers: [.contentType: "Application/JSON; charset=utf-8"], body: join
                ).status == .created)
        }
    }

    /// A body with no Content-Type at all is refused too (a Blob without a type is
    /// also a simple request).
    @Test func aJSONBodyWithoutContentTypeIsRefused() async throws {
        let server = try TestServer()
        try await server.test(.live) { client in
            // Past the test client's own JSON default.
            let raw = try #require((client as? JSONByDefault)?.client)
            let response = try await raw.executeRequest(
                uri: "/v1/members", method: .post, headers: [:],
                body: ByteBuffer(string: #"{"kind":"individual","name":"Blob","email":"blob@example.org"}"#))
            try expectProblem(response, .unsupportedMediaType, "unsupported_media_type")
        }
    }

    /// The operations held to JSON are exactly those the document gives a JSON body.
    @Test func theJSONOperationsAreTheDocumentsOwn() async throws {
        let document = try await OpenAPIDocument()
        var documented: Set<String> = []
        for (_, item) in try #require(document.root["paths"]?.map) {
            for (_, operation) in item.map ?? [:] where operation["requestBody"]?["content"]?["application/json"] != nil {
                if let id = operation["operationId"]?.string { documented.insert(id) }
            }
        }
        #expect(documented == JSONContentType.operations)
    }

    @Test func traceIsNotAllowed() async throws {
        let server = try TestServer()
        try await server.test { client in
            let response = try await client.execute(uri: "/v1/products", method: .trace)
            try expectProblem(response, .methodNotAllowed, "method_not_allowed")
            #expect(response.headers[.allow] == "GET")
        }
    }

    /// Quantities are 1 to 10,000.
    @Test(arguments: StoreKind.allCases) func absurdQuantitiesAreRefused(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let member = try await client.join()
            let product = try await client.createProduct(merchant, price: 5)
            for quantity in [0, -1, 10_001, 1_000_000_000_000] {
                try expectProblem(
                    try await client.order(member, product: product, quantity: quantity), .unprocessableContent,
                    "invalid_request")
            }
            #expect(try await client.order(member, product: product, quantity: 10_000).status == .created)
        }
    }

    /// Lengths are UTF-8 bytes: one letter and 100,000 combining marks is one character
    /// but 200 KB, and is refused; 200 bytes pass, 201 do not.
    @Test func textLimitsCountBytes() async throws {
        let server = try TestServer()
        let merchant = try await server.addMerchant()
        try await server.test { client in
            func join(_ name: String, _ email: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/v1/members", method: .post, body: jsonBody(["kind": "individual", "name": name, "email": email]))
            }
            let zalgo = "a" + String(repeating: "\u{0301}", count: 100_000)
            #expect(zalgo.count == 1)
            try expectProblem(try await join(zalgo, "zalgo@example.org"), .unprocessableContent, "invalid_member")
            // 100 two-byte letters: 100 characters, 200 bytes.
            #expect(try await join(String(repeating: "é", count: 100), "fits@example.org").status == .created)
            try expectProblem(
                try await join(String(repeating: "é", count: 100) + "x", "over@example.org"), .unprocessableContent,
                "invalid_member")
            let longEmail = String(repeating: "é", count: 125) + "@example.org"
            try expectProblem(try await join("Long", longEmail), .unprocessableContent, "invalid_member")
            let product: [String: Any] = [
                "sku": "SKU-B", "name": "Bytes", "description": String(repeating: "€", count: 667),
                "price": ["amount": 100, "currency": "EUR"],
            ]
            try expectProblem(
                try await client.execute(
                    uri: "/v1/merchant/products", method: .post, headers: bearer(merchant.token), body: jsonBody(product)),
                .unprocessableContent, "invalid_request")
        }
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

    @Test(arguments: [
        "Red\u{1B}[31m", "Bell\u{07}", "Null\u{00}x", "C1\u{9B}31m", "Bidi\u{202E}gnp.exe", "Line\nbreak",
        "Zero\u{200B}width", "Mark\u{200F}x", "Line\u{2028}sep", "Bom\u{FEFF}x", "Arabic\u{061C}mark", "Tag\u{E0041}x",
        "Filler\u{3164}", "Soft\u{00AD}hyphen",
    ])
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
