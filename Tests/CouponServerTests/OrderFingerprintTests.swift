import CouponKit
@testable import CouponServer
@testable import CouponSQLite
@testable import CouponStore
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import Testing

/// An order's idempotency fingerprint (``APIService/fingerprint(productId:quantity:picture:)``):
/// over the coupon picture's decoded bytes, equal for equal requests and different for any
/// other product, quantity or picture; records stored under the earlier fingerprint (over
/// the base64 text) still replay.
@Suite struct OrderFingerprintTests {
    typealias Service = APIService<SQLiteStore>

    /// 4,096 bytes from a fixed seed.
    static let picture: [UInt8] = {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        return (0..<4096).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }()

    static func fingerprint(_ productId: String, _ quantity: Int, _ picture: [UInt8]?) -> String {
        Service.fingerprint(productId: productId, quantity: quantity, picture: picture)
    }

    @Test func equalRequestsHaveEqualFingerprints() {
        #expect(Self.fingerprint("prod_a", 2, Self.picture) == Self.fingerprint("prod_a", 2, Array(Self.picture)))
        #expect(Self.fingerprint("prod_a", 1, nil) == Self.fingerprint("prod_a", 1, nil))
        #expect(Self.fingerprint("prod_a", 1, nil).count == 64)
    }

    @Test func anyOtherProductQuantityOrPictureChangesIt() {
        var flipped = Self.picture
        flipped[2049] ^= 0x01
        let fingerprints = [
            Self.fingerprint("prod_a", 2, Self.picture),
            Self.fingerprint("prod_b", 2, Self.picture),
            Self.fingerprint("prod_a", 3, Self.picture),
            Self.fingerprint("prod_a", 2, flipped),
            Self.fingerprint("prod_a", 2, Self.picture + [0]),
            Self.fingerprint("prod_a", 2, Array(Self.picture.dropLast())),
            // No coupon is not an empty picture.
            Self.fingerprint("prod_a", 2, nil),
            Self.fingerprint("prod_a", 2, []),
            // Without the product id's length these two would hash the same bytes.
            Self.fingerprint("p\n1\n+A\n2", 3, nil),
            Self.fingerprint("p", 1, Array("A\n2\n3\n-".utf8)),
        ]
        #expect(Set(fingerprints).count == fingerprints.count)
    }

    /// The same picture is the same order whichever field brought it; another picture
    /// under the same key is a conflict.
    @Test func thePictureCountsByItsBytes() async throws {
        try await Self.afterAnOrder(key: "k") { client, _, order in
            let again = try await client.execute(
                uri: "/v1/orders", method: .post, headers: Self.headers(order.member, key: "k"),
                body: jsonBody(["product_id": order.product, "quantity": 1, "coupon_image": order.coupon.base64] as [String: Any]))
            #expect(again.status == .created)
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(again.body == order.response.body)
            let other = FakeCoupon(productId: order.product, issuerId: order.coupon.issuerId)
            try expectProblem(
                try await client.order(order.member, product: order.product, coupon: other.base64, key: "k"),
                .unprocessableContent, "idempotency_conflict")
        }
    }

    /// An order settled before the fingerprint covered the decoded picture (its record
    /// carries the fingerprint of the base64 text) is replayed, not refused as a conflict.
    @Test func aRecordFingerprintedTheEarlierWayStillReplays() async throws {
        try await Self.afterAnOrder(key: "old") { client, server, order in
            let earlier = SHA256Hex.of(utf8: ["\(order.product)\n1\n", order.coupon.base64])
            let store = try #require(server.sqlite)
            try await store.writer.write { db in
                try db.execute(sql: "UPDATE idempotency_keys SET fingerprint = ? WHERE key = 'old'", arguments: [earlier])
            }
            let again = try await client.order(order.member, product: order.product, coupon: order.coupon.base64, key: "old")
            #expect(again.status == .created)
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(again.body == order.response.body)
            try expectProblem(
                try await client.order(order.member, product: order.product, quantity: 2, coupon: order.coupon.base64, key: "old"),
                .unprocessableContent, "idempotency_conflict")
        }
    }

    /// A member's order of one item with a fake coupon, settled under `key`.
    struct FirstOrder: Sendable {
        let member: TestMember
        let product: String
        let coupon: FakeCoupon
        let response: TestResponse
    }

    /// Places a ``FirstOrder`` on a new SQLite server, then runs `body`; afterwards the
    /// books hold that one order and nothing else.
    static func afterAnOrder(
        key: String, _ body: @Sendable (any TestClientProtocol, TestServer, FirstOrder) async throws -> Void
    ) async throws {
        let server = try TestServer()
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant)
            let member = try await client.join()
            let coupon = FakeCoupon(productId: product, issuerId: merchant.issuer.publicKey.id)
            let response = try await client.order(member, product: product, coupon: coupon.base64, key: key)
            #expect(response.status == .created)
            try await body(client, server, FirstOrder(member: member, product: product, coupon: coupon, response: response))
            #expect(try await server.store.ledgerEntries().count == 2)
        }
    }

    static func headers(_ member: TestMember, key: String) -> HTTPFields {
        bearer(member.token) + [HTTPField(name: HTTPField.Name("Idempotency-Key")!, value: key)]
    }
}
