import CouponServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every response carries `X-Request-Id`: the client's when it is sane, a fresh one
/// otherwise.
@Suite struct RequestIdTests {
    static let header = HTTPField.Name("X-Request-Id")!

    static func isSane(_ id: String?) -> Bool {
        guard let id, (1...128).contains(id.count) else { return false }
        return id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }

    @Test func saneIdsAreKeptOthersReplaced() async throws {
        try await TestServer().test { client in
            func id(sending value: String?, uri: String = "/healthz") async throws -> String? {
                var headers: HTTPFields = [:]
                if let value { headers[Self.header] = value }
                return try await client.execute(uri: uri, method: .get, headers: headers).headers[Self.header]
            }
            let longest = String(repeating: "a", count: 128)
            for kept in ["abc-123.X_y", longest, "0"] {
                #expect(try await id(sending: kept) == kept)
            }
            for replaced in [String(repeating: "a", count: 129), "has space", "semi;colon", "é", "line\\nbreak", ""] {
                let answered = try await id(sending: replaced)
                #expect(answered != replaced)
                #expect(Self.isSane(answered), "\(answered ?? "nil")")
            }
            let first = try await id(sending: nil)
            let second = try await id(sending: nil)
            #expect(Self.isSane(first) && Self.isSane(second))
            #expect(first != second)
            // Problems and unknown routes carry it too.
            #expect(try await id(sending: "on-404", uri: "/no/such/path") == "on-404")
            #expect(try await id(sending: "on-401", uri: "/v1/members/me") == "on-401")
        }
    }
}
