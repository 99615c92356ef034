import CouponKit
import CouponServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import StoreTestSupport
import Testing

/// `GET /metrics`: the server's own counts, in the Prometheus text format, after a known
/// series of requests.
@Suite struct MetricsTests {
    @Test(arguments: StoreKind.allCases) func countsOrdersRequestsAndVerifications(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant)
            let member = try await client.join()
            let coupon = FakeCoupon(productId: product, maxUsesTotal: 2, issuerId: merchant.issuer.publicKey.id)
            // Settled: two with the coupon, one without; the third with it is exhausted.
            #expect(try await client.order(member, product: product, coupon: coupon.base64, key: "k1").status == .created)
            #expect(try await client.order(member, product: product, coupon: coupon.base64).status == .created)
            #expect(try await client.order(member, product: product).status == .created)
            try expectProblem(
                try await client.order(member, product: product, coupon: coupon.base64), .unprocessableContent,
                "coupon_exhausted")
            // A replay is answered 201 but settles nothing, and verifies nothing.
            #expect(try await client.order(member, product: product, coupon: coupon.base64, key: "k1").status == .created)
            try expectProblem(try await client.order(member, product: "nope"), .notFound, "product_not_found")
            try expectProblem(
                try await client.order(member, product: product, quantity: 0), .unprocessableContent, "invalid_request")
            for _ in 0..<2 { _ = try await client.execute(uri: "/v1/products/\(product)", method: .get) }
            _ = try await client.execute(uri: "/no/such/path", method: .get)

            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let metrics = PrometheusText(String(buffer: response.body))

            #expect(metrics["couponmark_orders_settled_total"] == 3)
            #expect(metrics["couponmark_orders_refused_total", ["code": "coupon_exhausted"]] == 1)
            #expect(metrics["couponmark_orders_refused_total", ["code": "product_not_found"]] == 1)
            #expect(metrics["couponmark_orders_refused_total", ["code": "invalid_request"]] == 1)
            #expect(metrics.samples("couponmark_orders_refused_total").count == 3)
            #expect(metrics["couponmark_verification_duration_seconds_count"] == 3)
            #expect(metrics["couponmark_verification_wait_seconds_count"] == 3)
            #expect(metrics["couponmark_verification_duration_seconds_bucket", ["le": "+Inf"]] == 3)

            let orders = ["route": "/v1/orders", "method": "POST"]
            #expect(metrics["http_requests_total", orders.merging(["status": "201"]) { $1 }] == 4)
            #expect(metrics["http_requests_total", orders.merging(["status": "422"]) { $1 }] == 2)
            #expect(metrics["http_requests_total", orders.merging(["status": "404"]) { $1 }] == 1)
            #expect(
                metrics["http_request_duration_seconds_count", orders.merging(["status": "201"]) { $1 }] == 4)
            // Routes are templates, never the ids in the path.
            #expect(
                metrics["http_requests_total", ["route": "/v1/products/{product_id}", "method": "GET", "status": "200"]] == 2)
            #expect(metrics["http_requests_total", ["route": "NotFound", "method": "GET", "status": "404"]] == 1)
            #expect(!String(buffer: response.body).contains(product))
        }
    }

    /// Each server counts only its own requests (the tests run many in one process).
    @Test func eachServerHasItsOwnRegistry() async throws {
        for _ in 0..<2 {
            try await TestServer().test { client in
                _ = try await client.execute(uri: "/healthz", method: .get)
                let metrics = PrometheusText(String(buffer: try await client.execute(uri: "/metrics", method: .get).body))
                #expect(metrics["http_requests_total", ["route": "/healthz", "method": "GET", "status": "200"]] == 1)
                #expect(metrics["couponmark_orders_settled_total"] == 0)
            }
        }
    }
}

/// The samples of a Prometheus text exposition: `name{label="value",...} number` lines.
struct PrometheusText {
    struct Sample {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    let all: [Sample]

    init(_ text: String) {
        all = text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...])
            else { return nil }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else { return Sample(name: String(series), labels: [:], value: value) }
            var labels: [String: String] = [:]
            for pair in series[series.index(after: brace)..<series.index(before: series.endIndex)].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            return Sample(name: String(series[..<brace]), labels: labels, value: value)
        }
    }

    func samples(_ name: String) -> [Sample] { all.filter { $0.name == name } }

    /// The value of the one sample with this name and exactly these labels.
    subscript(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples(name).first { $0.labels == labels }?.value
    }
}
