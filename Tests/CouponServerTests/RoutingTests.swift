import CouponServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Every operation of the document is routed, and every other method of its paths is
/// 405 `method_not_allowed` with an `Allow` header listing the path's methods.
@Suite struct RoutingTests {
    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]

    /// The document's paths with their methods, `{product_id}` filled in.
    static func operations(_ document: OpenAPIDocument) throws -> [(path: String, methods: Set<String>)] {
        let paths = try #require(document.root["paths"]?.map)
        return paths.map { path, item in
            let methods = Set((item.map ?? [:]).keys.filter { ["get", "post", "put", "patch", "delete"].contains($0) })
            return (
                path.replacingOccurrences(of: "{product_id}", with: "prod_unknown")
                    .replacingOccurrences(of: "{serial}", with: "NO-SUCH-SERIAL"), methods
            )
        }
    }

    @Test func everyOperationIsRouted() async throws {
        let document = try await OpenAPIDocument()
        let operations = try Self.operations(document)
        #expect(operations.count == 19)
        try await TestServer().test { client in
            for (path, methods) in operations {
                for method in methods {
                    let response = try await client.execute(
                        uri: path, method: HTTPRequest.Method(method.uppercased())!, body: ByteBuffer(string: "{}"))
                    let code = (try? json(response))?["code"] as? String
                    #expect(code != "not_found", "\(method) \(path) is not routed")
                    #expect(code != "method_not_allowed", "\(method) \(path) is not routed")
                }
            }
        }
    }

    @Test func otherMethodsAreNotAllowed() async throws {
        let document = try await OpenAPIDocument()
        let operations = try Self.operations(document)
        try await TestServer().test { client in
            for (path, methods) in operations {
                let allowed = Self.methods.filter { methods.contains($0.rawValue.lowercased()) }
                #expect(!allowed.isEmpty)
                for method in Self.methods where !allowed.contains(method) {
                    let response = try await client.execute(uri: path, method: method, body: ByteBuffer(string: "{}"))
                    try expectProblem(response, .methodNotAllowed, "method_not_allowed")
                    #expect(
                        response.headers[.allow] == allowed.map(\.rawValue).joined(separator: ", "),
                        "\(method) \(path): Allow was \(response.headers[.allow] ?? "missing")")
                }
            }
        }
    }

    @Test func unknownPathIsNotFound() async throws {
        try await TestServer().test { client in
            try expectProblem(try await client.execute(uri: "/v1/nothing", method: .get), .notFound, "not_found")
            try expectProblem(
                try await client.execute(uri: "/v1/products/a/b/c", method: .post), .notFound, "not_found")
        }
    }

    /// Every operation takes and answers one media type: a JSON body only as
    /// `application/json` (`curl -d` sends a form type: 415, so that no web page can post
    /// JSON as a form), and `Accept` changes nothing (the generated code would check it
    /// only after the handler ran).
    @Test func mediaTypes() async throws {
        try await TestServer().test { client in
            let listed = try await client.execute(uri: "/v1/products", method: .get, headers: [.accept: "text/html"])
            #expect(listed.status == .ok)
            #expect(listed.headers[.contentType] == "application/json; charset=utf-8")
            let body = #"{"kind":"individual","name":"A","email":"a@b.co"}"#
            try expectProblem(
                try await client.execute(
                    uri: "/v1/members", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .accept: "text/plain"],
                    body: jsonBody(body)),
                .unsupportedMediaType, "unsupported_media_type")
            let joined = try await client.execute(
                uri: "/v1/members", method: .post,
                headers: [.contentType: "application/json", .accept: "text/plain"], body: jsonBody(body))
            #expect(joined.status == .created)
            #expect(try json(joined)["token"] is String)
        }
    }
}
