import CouponKit
@testable import CouponPostgres
import CouponStore
import Foundation
import PostgresNIO
import StoreTestSupport
import Testing
import TestSupport

/// `settle_order` (schema version 2), the settlement as one statement: it refuses as the
/// statements it replaced did (revoked first, then the total, then the member's limit; a
/// limit of 0 allows nothing), a refusal leaves nothing behind, a taken key gives back
/// its record without writing, the order is stored as given, and a column added to
/// `orders` needs no new function.
@Suite struct PostgresSettlementTests {
    /// A store with a merchant, a product and three members, and the merchant's issuer.
    private struct Shop {
        let store: PostgresStore
        let merchantId: String
        let productId: String
        let issuerId: String
        let members: [String]

        static func make() async throws -> Shop {
            let store = try await makePostgresStore()
            let first = try await AuditFixture.make(store)
            var members = [first.memberId]
            for _ in 0..<2 {
                members.append(
                    try await AuditFixture.make(store, merchantId: first.merchantId, productId: first.productId).memberId)
            }
            let issuerId = try #require(try await store.merchant(id: first.merchantId)).issuerId
            return Shop(
                store: store, merchantId: first.merchantId, productId: first.productId, issuerId: issuerId,
                members: members)
        }

        /// One order of 10.00 EUR with 1.00 off (with `serial`: a coupon's redemption
        /// under these limits).
        func order(_ member: Int, key: String = UUID().uuidString, serial: String? = "S-1") -> Settlement {
            let suffix = UUID().uuidString.prefix(12).lowercased()
            let eur = AuditFixture.eur
            let discount: Int64 = serial == nil ? 0 : 100
            let order = Order(
                id: "ord_\(suffix)", memberId: members[member], productId: productId, merchantId: merchantId,
                quantity: 2, listTotal: Money(amount: 1000, currency: eur), discount: Money(amount: discount, currency: eur),
                total: Money(amount: 1000 - discount, currency: eur), couponSerial: serial, paymentId: "pay_\(suffix)",
                transactionId: "txn_\(suffix)", createdAt: "2026-11-28T02:00:00Z", couponLayer: serial == nil ? nil : .fragile)
            return Settlement(
                order: order, redemption: nil, idempotencyKey: key,
                response: IdempotencyRecord(fingerprint: "f-\(suffix)", status: 201, body: Array(suffix.utf8)))
        }

        /// An order with every optional field set, as the column test needs it.
        static let sampleOrder = Order(
            id: "ord_x", memberId: "mem_x", productId: "prod_x", merchantId: "mch_x", quantity: 1,
            listTotal: Money(amount: 1, currency: AuditFixture.eur), discount: Money(amount: 0, currency: AuditFixture.eur),
            total: Money(amount: 1, currency: AuditFixture.eur), couponSerial: "S", paymentId: "pay_x",
            transactionId: "txn_x", createdAt: "2026-11-28T02:00:00Z", couponLayer: .robust)

        func settle(
            _ member: Int, key: String = UUID().uuidString, serial: String = "S-1", total: Int? = nil,
            perMember: Int? = nil
        ) async throws -> SettlementOutcome {
            var settlement = order(member, key: key, serial: serial)
            settlement.redemption = .init(issuerId: issuerId, serial: serial, maxUsesTotal: total, maxUsesPerMember: perMember)
            return try await store.settle(settlement)
        }

        func count(_ table: String) async throws -> Int {
            try await store.rows("SELECT COUNT(*) FROM \(unescaped: table)").map { try $0.decode(Int.self) }.first ?? -1
        }

        /// Rows written by settlements: orders, payments, redemptions, ledger entries and
        /// transactions, idempotency keys.
        func written() async throws -> [Int] {
            var counts: [Int] = []
            for table in ["orders", "payments", "redemptions", "ledger_entries", "ledger_transactions", "idempotency_keys"] {
                counts.append(try await count(table))
            }
            return counts
        }
    }

    private static func settled(_ outcome: SettlementOutcome) -> Bool {
        if case .settled = outcome { return true }
        return false
    }

    @Test func aTotalLimitRefusesTheUseOverItAndTheRefusalWritesNothing() async throws {
        let shop = try await Shop.make()
        #expect(Self.settled(try await shop.settle(0, total: 2)))
        #expect(Self.settled(try await shop.settle(1, total: 2)))
        let before = try await shop.written()
        #expect(before == [2, 2, 2, 4, 2, 2])
        for _ in 0..<2 {
            // The same key again: a refusal is not stored under its key.
            await #expect(throws: StoreError.couponExhausted(serial: "S-1", perMember: false)) {
                try await shop.settle(2, key: "refused", total: 2)
            }
        }
        #expect(try await shop.written() == before)
        #expect(try await shop.count("redemptions") == 2)
        #expect(try await shop.store.audit().isClean)
        await shop.store.shutdown()
    }

    @Test func aMemberLimitRefusesOnlyThatMembersUseOverIt() async throws {
        let shop = try await Shop.make()
        #expect(Self.settled(try await shop.settle(0, perMember: 1)))
        await #expect(throws: StoreError.couponExhausted(serial: "S-1", perMember: true)) {
            try await shop.settle(0, perMember: 1)
        }
        #expect(Self.settled(try await shop.settle(1, perMember: 1)))
        // Both limits used up: the total is decided first.
        await #expect(throws: StoreError.couponExhausted(serial: "S-1", perMember: false)) {
            try await shop.settle(0, total: 0, perMember: 1)
        }
        #expect(try await shop.written() == [2, 2, 2, 4, 2, 2])
        await shop.store.shutdown()
    }

    @Test func aLimitOfZeroAllowsNoUse() async throws {
        let shop = try await Shop.make()
        await #expect(throws: StoreError.couponExhausted(serial: "S-1", perMember: false)) {
            try await shop.settle(0, total: 0)
        }
        await #expect(throws: StoreError.couponExhausted(serial: "S-1", perMember: true)) {
            try await shop.settle(0, perMember: 0)
        }
        #expect(try await shop.written() == [0, 0, 0, 0, 0, 0])
        await shop.store.shutdown()
    }

    /// A revoked serial is refused as revoked whatever its limits say; another serial of
    /// the same issuer still settles.
    @Test func aRevokedSerialIsRefusedBeforeItsLimits() async throws {
        let shop = try await Shop.make()
        _ = try await shop.store.rows(
            """
            INSERT INTO revoked_coupons (issuer_id, serial, merchant_id, revoked_at)
            VALUES (\(shop.issuerId), 'S-1', \(shop.merchantId), '2026-11-28T01:00:00Z')
            """)
        for (total, perMember) in [(nil, nil), (5, nil), (0, nil), (nil, 0), (1, 1)] as [(Int?, Int?)] {
            await #expect(throws: StoreError.couponRevoked(serial: "S-1")) {
                try await shop.settle(0, total: total, perMember: perMember)
            }
        }
        #expect(try await shop.written() == [0, 0, 0, 0, 0, 0])
        #expect(Self.settled(try await shop.settle(0, serial: "S-2", total: 1)))
        await shop.store.shutdown()
    }

    /// A second settlement under a taken key gets the first one's record and writes
    /// nothing: no order, no use counted.
    @Test func aTakenKeyGivesBackItsRecordAndWritesNothing() async throws {
        let shop = try await Shop.make()
        let first = shop.order(0, key: "k", serial: nil)
        #expect(Self.settled(try await shop.store.settle(first)))
        var second = shop.order(0, key: "k")
        second.redemption = .init(issuerId: shop.issuerId, serial: "S-1", maxUsesTotal: 5, maxUsesPerMember: 5)
        guard case .alreadyRecorded(let record) = try await shop.store.settle(second) else {
            Issue.record("a taken key settled again")
            return
        }
        #expect(record == first.response)
        #expect(try await shop.written() == [1, 1, 0, 2, 1, 1])
        #expect(try await shop.count("coupon_uses") == 0)
        // The same key is another member's own.
        #expect(Self.settled(try await shop.store.settle(shop.order(1, key: "k"))))
        await shop.store.shutdown()
    }

    @Test func theOrderIsStoredAsGiven() async throws {
        let shop = try await Shop.make()
        var withCoupon = shop.order(0)
        withCoupon.redemption = .init(issuerId: shop.issuerId, serial: "S-1", maxUsesTotal: nil, maxUsesPerMember: nil)
        let plain = shop.order(0, serial: nil)
        for settlement in [withCoupon, plain] {
            #expect(Self.settled(try await shop.store.settle(settlement)))
        }
        #expect(try await shop.store.orders(memberId: shop.members[0]) == [withCoupon.order, plain.order])
        #expect(try await shop.written() == [2, 2, 1, 4, 2, 2])
        #expect(try await shop.store.audit().isClean)
        await shop.store.shutdown()
    }

    /// Every column of `orders` but `seq` has its key in ``PostgresOrderRow`` (which would
    /// otherwise be NULL in every settled order), and no key names no column.
    @Test func theOrderRowNamesEveryColumnOfOrders() async throws {
        let store = try await makePostgresStore()
        let columns = try await store.rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'orders' AND column_name <> 'seq'"
        ).map { try $0.decode(String.self) }
        // With a coupon whose every term is set: an amount (with its currency) and both limits.
        let redemption = Settlement.Redemption(
            issuerId: "iss_1", serial: "S-1", maxUsesTotal: 5, maxUsesPerMember: 1,
            discount: .amount(Money(amount: 100, currency: Currency("EUR")!)))
        let json = try JSONSerialization.jsonObject(
            with: Data(try PostgresOrderRow(Shop.sampleOrder, redemption: redemption).json().utf8))
        let keys = try #require(json as? [String: Any]).keys
        #expect(Set(keys) == Set(columns))
        await store.shutdown()
    }

    /// The order row goes in whole from its JSON: a nullable column added to `orders`
    /// (as a later schema version would) is NULL, with no new version of the function.
    @Test func aColumnAddedToOrdersNeedsNoNewFunction() async throws {
        let shop = try await Shop.make()
        #expect(Self.settled(try await shop.store.settle(shop.order(0))))
        _ = try await shop.store.rows("ALTER TABLE orders ADD COLUMN settlement_test_note TEXT")
        let later = shop.order(1, serial: nil)
        #expect(Self.settled(try await shop.store.settle(later)))
        #expect(try await shop.store.orders(memberId: shop.members[1]) == [later.order])
        let notes = try await shop.store.rows("SELECT settlement_test_note FROM orders").map { try $0.decode(String?.self) }
        #expect(notes == [nil, nil])
        await shop.store.shutdown()
    }
}
