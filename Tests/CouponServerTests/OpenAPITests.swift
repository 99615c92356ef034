import CouponKit
@testable import CouponServer
import CouponSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A minimal reader for the subset of YAML that `openapi.yaml` is written in: nested
/// maps by indentation, `key: value` scalars, flow lists `[a, b]`, block scalars
/// (`>-`), and `- ` list items (kept as a list of their inline maps or scalars).
indirect enum YAMLNode {
    case map([String: YAMLNode])
    case scalar(String)
    case list([YAMLNode])

    subscript(_ key: String) -> YAMLNode? {
        if case .map(let map) = self { return map[key] }
        return nil
    }

    var map: [String: YAMLNode]? {
        if case .map(let map) = self { return map }
        return nil
    }

    var string: String? {
        if case .scalar(let text) = self { return text.trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
        return nil
    }

    /// `[a, b]` as strings.
    var flowList: [String] {
        guard let text = string, text.hasPrefix("["), text.hasSuffix("]") else { return [] }
        return text.dropFirst().dropLast().split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
    }

    static func parse(_ text: String) -> YAMLNode {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        var index = 0
        return parseBlock(lines, &index, indent: 0)
    }

    private static func indentation(_ line: String) -> Int { line.prefix { $0 == " " }.count }

    private static func parseBlock(_ lines: [String], _ index: inout Int, indent: Int) -> YAMLNode {
        var map: [String: YAMLNode] = [:]
        var list: [YAMLNode] = []
        while index < lines.count {
            let line = lines[index]
            let level = indentation(line)
            if level < indent { break }
            let content = line.trimmingCharacters(in: .whitespaces)
            if content.hasPrefix("- ") {
                index += 1
                list.append(.scalar(String(content.dropFirst(2))))
                continue
            }
            guard let colon = content.range(of: ":"), level == indent else {
                index += 1  // continuation of a multi-line flow list
                continue
            }
            let key = String(content[..<colon.lowerBound]).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            let value = content[colon.upperBound...].trimmingCharacters(in: .whitespaces)
            index += 1
            if value == ">-" || value == "|" || value == ">" {
                while index < lines.count, indentation(lines[index]) > level { index += 1 }
                map[key] = .scalar("(text)")
            } else if value.isEmpty {
                let childIndent = index < lines.count ? indentation(lines[index]) : level + 2
                map[key] = childIndent > level ? parseBlock(lines, &index, indent: childIndent) : .scalar("")
            } else {
                map[key] = .scalar(value)
            }
        }
        return list.isEmpty ? .map(map) : .list(list)
    }
}

struct OpenAPIDocument {
    let root: YAMLNode

    init() async throws {
        let text = try await TestServer().test { client in
            String(buffer: try await client.execute(uri: "/openapi.yaml", method: .get).body)
        }
        root = YAMLNode.parse(text)
    }

    func schema(named name: String) -> YAMLNode? { root["components"]?["schemas"]?[name] }

    func resolve(_ node: YAMLNode) -> YAMLNode {
        if let ref = node["$ref"]?.string, let name = ref.split(separator: "/").last, let schema = schema(named: String(name)) {
            return schema
        }
        return node
    }

    /// The JSON schema of a route's response (nil when it is not JSON).
    func responseSchema(path: String, method: String, status: Int) -> YAMLNode? {
        guard let response = root["paths"]?[path]?[method]?["responses"]?[String(status)] else { return nil }
        if response["$ref"] != nil { return schema(named: "Problem") }
        guard let schema = response["content"]?["application/json"]?["schema"] else { return nil }
        return resolve(schema)
    }

    /// JSON keys must be declared properties, required ones present; recursively.
    func check(_ value: Any, against node: YAMLNode, at path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let schema = resolve(node)
        if let object = value as? [String: Any], let properties = schema["properties"]?.map {
            let keys = Set(object.keys)
            #expect(keys.isSubset(of: Set(properties.keys)), "\(path): undeclared \(keys.subtracting(properties.keys))", sourceLocation: sourceLocation)
            let required = Set(schema["required"]?.flowList ?? [])
            #expect(required.isSubset(of: keys), "\(path): missing \(required.subtracting(keys))", sourceLocation: sourceLocation)
            for (key, child) in object where !(child is NSNull) {
                guard let property = properties[key] else { continue }
                if let items = property["items"], let array = child as? [Any] {
                    for element in array { check(element, against: items, at: "\(path).\(key)[]", sourceLocation: sourceLocation) }
                } else if case .list(let options)? = property["oneOf"], child is [String: Any] {
                    let ref = options.compactMap { $0.string }.first { $0.hasPrefix("$ref:") }
                    if let name = ref?.split(separator: "/").last?.trimmingCharacters(in: CharacterSet(charactersIn: "\"'")),
                        let target = self.schema(named: name)
                    {
                        check(child, against: target, at: "\(path).\(key)", sourceLocation: sourceLocation)
                    }
                } else {
                    check(child, against: property, at: "\(path).\(key)", sourceLocation: sourceLocation)
                }
            }
        }
    }
}

@Suite struct OpenAPITests {
    /// Every route the server has, and only those, is in the document.
    static let routes: Set<String> = [
        "get /healthz", "get /metrics", "get /openapi.yaml", "get /v1/products", "get /v1/products/{product_id}",
        "get /v1/products/{product_id}/coupon", "post /v1/members", "get /v1/keys", "get /v1/members/me",
        "get /v1/members/me/history", "post /v1/orders", "post /v1/merchant/products",
        "post /v1/merchant/products/{product_id}/coupons", "get /v1/merchant/orders",
        "delete /v1/members/me/token", "post /v1/merchant/coupons/{serial}/revoke", "post /v1/coupons/identify",
        "post /v1/merchant/trace", "get /v1/merchant/coupons",
    ]

    @Test func documentListsEveryRoute() async throws {
        let document = try await OpenAPIDocument()
        let paths = try #require(document.root["paths"]?.map)
        var documented: Set<String> = []
        for (path, item) in paths {
            for method in item.map?.keys ?? [:].keys where ["get", "post", "put", "delete", "patch"].contains(method) {
                documented.insert("\(method) \(path)")
            }
        }
        #expect(documented == Self.routes)
        let codes = Set(document.schema(named: "Problem")?["properties"]?["code"]?["enum"]?.flowList ?? [])
        #expect(codes == Set(ReasonCode.allCases.map(\.rawValue)))
    }

    /// Who may call each operation is the document's `security` (role names: `member`,
    /// `merchant`, none for either), and the server's authenticator enforces exactly that.
    @Test func theAuthenticatorEnforcesTheDocumentsSecurity() async throws {
        let document = try await OpenAPIDocument()
        let paths = try #require(document.root["paths"]?.map)
        var operations = 0
        for (path, item) in paths {
            for (method, operation) in item.map ?? [:] where ["get", "post", "put", "delete", "patch"].contains(method) {
                let id = try #require(operation["operationId"]?.string, "\(method) \(path)")
                operations += 1
                let audience = Authenticator<SQLiteStore>.audience(of: id)
                guard case .list(let requirements)? = operation["security"] else {
                    #expect(audience == nil, "\(id) is public in the document")
                    continue
                }
                // `{}` among the requirements: the token is optional.
                let optional = requirements.compactMap(\.string).contains("{}")
                let roles = requirements.compactMap(\.string).filter { $0 != "{}" }.flatMap { requirement -> [String] in
                    guard requirement.hasPrefix("bearer:") else { return ["?"] }
                    return YAMLNode.scalar(String(requirement.dropFirst("bearer:".count)).trimmingCharacters(in: .whitespaces)).flowList
                }
                let expected: Authenticator<SQLiteStore>.Audience? =
                    switch (optional, roles) {
                    case (false, []): .anyone
                    case (false, ["member"]): .members
                    case (false, ["merchant"]): .merchants
                    case (true, []): .optional
                    default: nil
                    }
                #expect(expected != nil, "\(id): security \(roles)")
                #expect(audience == expected, "\(id)")
            }
        }
        #expect(operations == Self.routes.count)
    }

    /// `Sources/CouponAPI/openapi.yaml` as it is in the tree.
    static func source() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("Sources/CouponAPI/openapi.yaml"), encoding: .utf8)
    }

    /// The server serves the one document the types, server and client are generated
    /// from (`Sources/CouponAPI/openapi.yaml`), byte for byte, as YAML.
    @Test func servesTheGeneratorInput() async throws {
        let expected = try Self.source()
        let served = try await TestServer().test { client in
            try await client.execute(uri: "/openapi.yaml", method: .get)
        }
        #expect(served.status == .ok)
        #expect(served.headers[.contentType] == "application/yaml")
        #expect(String(buffer: served.body) == expected)
        #expect(YAMLNode.parse(expected)["paths"]?.map?.count == Self.routes.count)
    }

    /// The limits the handlers enforce are stated in the document, so that a
    /// schema-valid request is refused only for a reason the document names.
    @Test func documentStatesTheServersRules() async throws {
        let document = try await OpenAPIDocument()
        let newProduct = try #require(document.schema(named: "NewProduct")?["properties"])
        for (field, maxLength) in [("sku", "100"), ("name", "200")] {
            #expect(newProduct[field]?["minLength"]?.string == "1", "\(field)")
            #expect(newProduct[field]?["maxLength"]?.string == maxLength, "\(field)")
            #expect(newProduct[field]?["pattern"]?.string != nil, "\(field) must require a non-space character")
        }
        #expect(newProduct["description"]?["maxLength"]?.string == "2000")
        #expect(document.schema(named: "NewProduct")?["additionalProperties"]?.string == "false")
        // `{}` is refused (invalid_member): the schema says why.
        #expect(document.schema(named: "JoinRequest")?["required"]?.flowList == ["kind", "name", "email"])
        let join = try #require(document.schema(named: "JoinRequest")?["properties"])
        #expect(join["name"]?["maxLength"]?.string == "200")
        #expect(join["email"]?["pattern"]?.string != nil)
        #expect(join["kind"]?["pattern"]?.string == "^(individual|corporate)$")
        let money = try #require(document.schema(named: "Money")?["properties"])
        #expect(money["amount"]?["minimum"]?.string == "0")
        #expect(money["currency"]?["pattern"]?.string == "^[A-Z]{3}$")
        let order = document.root["paths"]?["/v1/orders"]?["post"]
        #expect(order?["responses"]?["413"] != nil)
        #expect(order?["responses"]?["415"] != nil)
        #expect(order?["requestBody"]?["content"]?["application/json"]?["schema"] != nil)
        // The parameter's schema sits in a list item, which the small YAML reader skips.
        #expect(try Self.source().contains(#"pattern: "^[\\x21-\\x7E]{1,255}$""#))
    }

    /// Real responses of every JSON route match the document's schemas.
    @Test func responsesMatchTheDocument() async throws {
        let document = try await OpenAPIDocument()
        let server = try TestServer()
        let merchant = try await server.addMerchant()
        try await server.test { client in
            var exchanges: [(String, String, TestResponse)] = []
            func record(_ path: String, _ method: String, _ response: TestResponse) {
                exchanges.append((path, method, response))
            }
            record("/healthz", "get", try await client.execute(uri: "/healthz", method: .get))
            let created = try await client.execute(
                uri: "/v1/merchant/products", method: .post, headers: bearer(merchant.token),
                body: jsonBody(#"{"sku":"S","name":"N","description":"D","price":{"amount":999,"currency":"EUR"}}"#))
            record("/v1/merchant/products", "post", created)
            let product = try #require(try json(created)["id"] as? String)
            let coupon = FakeCoupon(productId: product, issuerId: merchant.issuer.publicKey.id)
            var uploadHeaders = bearer(merchant.token)
            uploadHeaders[HTTPField.Name("Coupon-Title")!] = "15%"
            record(
                "/v1/merchant/products/{product_id}/coupons", "post",
                try await client.execute(
                    uri: "/v1/merchant/products/\(product)/coupons", method: .post, headers: uploadHeaders,
                    body: ByteBuffer(bytes: coupon.bytes)))
            let amountCoupon = FakeCoupon(productId: product, amount: 100, issuerId: merchant.issuer.publicKey.id)
            record(
                "/v1/merchant/products/{product_id}/coupons", "post",
                try await client.execute(
                    uri: "/v1/merchant/products/\(product)/coupons", method: .post, headers: bearer(merchant.token),
                    body: ByteBuffer(bytes: amountCoupon.bytes)))
            record("/v1/products", "get", try await client.execute(uri: "/v1/products", method: .get))
            record("/v1/products/{product_id}", "get", try await client.execute(uri: "/v1/products/\(product)", method: .get))
            record("/v1/products/{product_id}", "get", try await client.execute(uri: "/v1/products/nope", method: .get))
            record("/v1/products/{product_id}/coupon", "get", try await client.execute(uri: "/v1/products/nope/coupon", method: .get))
            let join = try await client.execute(
                uri: "/v1/members", method: .post,
                body: jsonBody(#"{"kind":"corporate","name":"C","email":"c@corp.example","company":{"name":"Corp","registration_number":"42"}}"#))
            record("/v1/members", "post", join)
            let token = try #require(try json(join)["token"] as? String)
            let member = TestMember(id: "", token: token)
            record("/v1/members", "post", try await client.execute(uri: "/v1/members", method: .post, body: jsonBody("{}")))
            record("/v1/keys", "get", try await client.execute(uri: "/v1/keys", method: .get, headers: bearer(token)))
            record("/v1/members/me", "get", try await client.execute(uri: "/v1/members/me", method: .get, headers: bearer(token)))
            record("/v1/orders", "post", try await client.order(member, product: product, coupon: coupon.base64))
            record("/v1/orders", "post", try await client.order(member, product: product))
            record("/v1/orders", "post", try await client.order(member, product: "nope"))
            record("/v1/orders", "post", try await client.order(member, product: product, quantity: 0))
            record("/v1/members/me/history", "get", try await client.execute(uri: "/v1/members/me/history", method: .get, headers: bearer(token)))
            record("/v1/merchant/orders", "get", try await client.execute(uri: "/v1/merchant/orders", method: .get, headers: bearer(merchant.token)))
            record("/v1/merchant/orders", "get", try await client.execute(uri: "/v1/merchant/orders", method: .get))

            for (path, method, response) in exchanges {
                let status = Int(response.status.code)
                let schema = try #require(
                    document.responseSchema(path: path, method: method, status: status), "\(method) \(path) \(status) undocumented")
                let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
                document.check(body, against: schema, at: "\(method) \(path) \(status)")
            }
        }
    }
}
