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

@Suite struct MembershipTests {
    @Test(arguments: StoreKind.allCases) func individualJoinsAndSeesItself(_ kind: StoreKind) async throws {
        try await TestServer(kind).test { client in
            let response = try await client.execute(
                uri: "/v1/members", method: .post,
                body: jsonBody(["kind": "individual", "name": "Ann", "email": "Ann@Example.org", "company": NSNull()]))
            #expect(response.status == .created)
            let body = try json(response)
            let token = try #require(body["token"] as? String)
            #expect(token.hasPrefix("cm_member_"))
            let keys = try #require(body["keys"] as? [String: Any])
            #expect((keys["reveal_keys"] as? [[String: Any]])?.first?["epoch"] as? Int == 1)
            let me = try json(try await client.execute(uri: "/v1/members/me", method: .get, headers: bearer(token)))
            #expect(me["member_id"] as? String == body["member_id"] as? String)
            #expect(me["kind"] as? String == "individual")
            #expect(me["email"] as? String == "Ann@Example.org")
            #expect(me["company"] is NSNull)

            let again = try await client.execute(
                uri: "/v1/members", method: .post,
                body: jsonBody(["kind": "individual", "name": "Ann B", "email": "ann@example.ORG"]))
            try expectProblem(again, .conflict, "member_exists")
        }
    }

    @Test(arguments: StoreKind.allCases) func corporateJoins(_ kind: StoreKind) async throws {
        try await TestServer(kind).test { client in
            let response = try await client.execute(
                uri: "/v1/members", method: .post,
                body: jsonBody([
                    "kind": "corporate", "name": "Buyer", "email": "buy@corp.example",
                    "company": ["name": "Corp SA", "registration_number": "RCS B 123"],
                ] as [String: Any]))
            #expect(response.status == .created)
            let token = try #require(try json(response)["token"] as? String)
            let me = try json(try await client.execute(uri: "/v1/members/me", method: .get, headers: bearer(token)))
            let company = try #require(me["company"] as? [String: Any])
            #expect(company["name"] as? String == "Corp SA")
            #expect(company["registration_number"] as? String == "RCS B 123")
        }
    }

    static let invalidMembers: [String] = [
        #"{"kind":"robot","name":"A","email":"a@b.co"}"#,
        #"{"name":"A","email":"a@b.co"}"#,
        #"{"kind":"individual","name":"  ","email":"a@b.co"}"#,
        #"{"kind":"individual","name":"A","email":"no-at.example"}"#,
        #"{"kind":"individual","name":"A","email":"a@nodot"}"#,
        #"{"kind":"individual","name":"A","email":"a@dot."}"#,
        #"{"kind":"individual","name":"A","email":"a@b.co","company":{"name":"X","registration_number":"1"}}"#,
        #"{"kind":"corporate","name":"A","email":"a@b.co"}"#,
        #"{"kind":"corporate","name":"A","email":"a@b.co","company":{"name":"X"}}"#,
        #"{"kind":"corporate","name":"A","email":"a@b.co","company":{"registration_number":"1"}}"#,
    ]

    @Test(arguments: invalidMembers) func invalidMember(_ body: String) async throws {
        try await TestServer().test { client in
            let response = try await client.execute(uri: "/v1/members", method: .post, body: jsonBody(body))
            try expectProblem(response, .unprocessableContent, "invalid_member")
        }
    }

    @Test(arguments: [
        #"{"kind":"individual","name":"A","email":"a@b.co""#,  // malformed
        #"{"kind":"individual","name":7,"email":"a@b.co"}"#,  // wrong type
        #"{"kind":"individual","name":"A","email":"a@b.co","admin":true}"#,  // unknown field
        #"{"kind":"corporate","name":"A","email":"a@b.co","company":{"name":"X","registration_number":"1","x":1}}"#,
        #"[1,2,3]"#,
        "",
    ])
    func unparseableJoin(_ body: String) async throws {
        try await TestServer().test { client in
            try expectProblem(
                try await client.execute(
                    uri: "/v1/members", method: .post, headers: [.contentType: "application/json"], body: jsonBody(body)),
                .badRequest, "invalid_request")
        }
    }

    @Test(arguments: StoreKind.allCases) func keysForMembersAndMerchantsAfterRotation(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let member = try await client.join()
            try await server.store.rotateRevealKey()
            for token in [member.token, merchant.token] {
                let keys = try json(try await client.execute(uri: "/v1/keys", method: .get, headers: bearer(token)))
                #expect((keys["reveal_keys"] as? [[String: Any]])?.compactMap { $0["epoch"] as? Int } == [1, 2])
                let issuers = try #require(keys["issuers"] as? [[String: Any]])
                #expect(issuers.map { $0["issuer_id"] as? String } == [merchant.issuer.publicKey.id])
                #expect(issuers.first?["public_key"] as? String == merchant.issuer.publicKey.base64)
            }
            try expectProblem(try await client.execute(uri: "/v1/keys", method: .get), .unauthorized, "unauthenticated")
            try expectProblem(
                try await client.execute(uri: "/v1/keys", method: .get, headers: bearer("cm_member_unknown")),
                .unauthorized, "unauthenticated")
        }
    }

    @Test(arguments: StoreKind.allCases) func memberRoutesRefuseOthers(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            for uri in ["/v1/members/me", "/v1/members/me/history"] {
                try expectProblem(try await client.execute(uri: uri, method: .get), .unauthorized, "unauthenticated")
                try expectProblem(
                    try await client.execute(uri: uri, method: .get, headers: [.authorization: "Basic abc"]),
                    .unauthorized, "unauthenticated")
                try expectProblem(
                    try await client.execute(uri: uri, method: .get, headers: bearer(merchant.token)), .forbidden,
                    "not_a_member")
                try expectProblem(
                    try await client.execute(uri: uri, method: .get, headers: bearer("cm_member_nope")), .unauthorized,
                    "unauthenticated")
            }
        }
    }
}
