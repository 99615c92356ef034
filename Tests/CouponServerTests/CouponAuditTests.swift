import CouponKit
@testable import CouponPostgres
@testable import CouponSQLite
@testable import CouponStore
import Foundation
import GRDB
import PostgresNIO
import StoreTestSupport
import Testing

/// `audit` proves the coupon rules, not only the arithmetic: each order's discount is its
/// coupon's terms applied again, each coupon order has exactly one redemption, and no
/// coupon is redeemed past its limits. Each test writes books that balance (so the
/// ledger alone finds nothing) with one rule broken, and sees the audit name the order.
@Suite struct CouponAuditTests {
    /// Settles an order of the fixture's 10.00 EUR product with `serial`, as given: the
    /// store records what it is told (the server computes the discount before), so a
    /// write path that lied is what the audit must catch.
    @discardableResult
    static func settle(
        _ fixture: AuditFixture, serial: String?, discount: Int64, terms: Discount? = .rate(basisPoints: 1500),
        redeem: Bool = true, maxUsesTotal: Int? = nil
    ) async throws -> Order {
        let suffix = UUID().uuidString.prefix(12).lowercased()
        let eur = AuditFixture.eur
        let order = Order(
            id: "ord_\(suffix)", memberId: fixture.memberId, productId: fixture.productId, merchantId: fixture.merchantId,
            quantity: 1, listTotal: Money(amount: 1000, currency: eur), discount: Money(amount: discount, currency: eur),
            total: Money(amount: 1000 - discount, currency: eur), couponSerial: serial, paymentId: "pay_\(suffix)",
            transactionId: "txn_\(suffix)", createdAt: "2026-12-07T10:00:00Z")
        let redemption = serial.flatMap { serial in
            redeem
                ? Settlement.Redemption(
                    issuerId: "iss_audit", serial: serial, maxUsesTotal: maxUsesTotal, maxUsesPerMember: nil, discount: terms)
                : nil
        }
        let outcome = try await fixture.store.settle(
            Settlement(
                order: order, redemption: redemption, idempotencyKey: "key-\(suffix)",
                response: IdempotencyRecord(fingerprint: "f", status: 201, body: Array("{}".utf8))))
        guard case .settled(let settled) = outcome else { throw FixtureFailure.notSettled(order.id) }
        return settled
    }

    static func problems(_ store: any CouponRepository) async throws -> [String] {
        let audit: LedgerAudit =
            if let sqlite = store as? SQLiteStore { try await sqlite.audit() } else {
                try await (try #require(store as? PostgresStore)).audit()
            }
        #expect(audit.ledgerBalanced, "the forged books still balance")
        return audit.problems.map { "\($0.kind.rawValue) \($0.orderId ?? "-")" }
    }

    @Test(arguments: StoreKind.allCases) func aDiscountItsCouponDoesNotGiveIsNamed(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let fixture = try await AuditFixture.make(server.store)
        try await Self.settle(fixture, serial: "FAIR-15", discount: 150)
        #expect(try await Self.problems(server.store).isEmpty)
        // 100 % off on a 15 % coupon, balanced in the ledger.
        let greedy = try await Self.settle(fixture, serial: "GREEDY-15", discount: 1000)
        #expect(try await Self.problems(server.store) == ["discount_mismatch \(greedy.id)"])
    }

    @Test(arguments: StoreKind.allCases) func aCouponOrderWithoutItsRedemptionIsNamed(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let fixture = try await AuditFixture.make(server.store)
        let unredeemed = try await Self.settle(fixture, serial: "GHOST-1", discount: 150, redeem: false)
        #expect(try await Self.problems(server.store) == ["redemption_mismatch \(unredeemed.id)"])
    }

    /// Two uses of a single-use coupon. Both stores' settlements count every use of a
    /// serial, so the second is forged behind the store's back: settled without a limit,
    /// then its row given one (the guard against changing orders dropped first).
    @Test(arguments: StoreKind.allCases) func aCouponRedeemedPastItsLimitIsNamed(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let fixture = try await AuditFixture.make(server.store)
        try await Self.settle(fixture, serial: "ONCE-1", discount: 150)
        let second = try await Self.settle(fixture, serial: "ONCE-1", discount: 150)
        if let sqlite = server.sqlite {
            try await sqlite.writer.write { db in
                try db.execute(sql: "DROP TRIGGER orders_no_update")
                try db.execute(sql: "UPDATE orders SET coupon_max_uses_total = 1 WHERE id = ?", arguments: [second.id])
            }
        } else {
            let postgres = try #require(server.store as? PostgresStore)
            _ = try await postgres.rows("DROP TRIGGER orders_no_update ON orders")
            _ = try await postgres.rows("UPDATE orders SET coupon_max_uses_total = 1 WHERE id = \(second.id)")
        }
        #expect(try await Self.problems(server.store) == ["limit_exceeded \(second.id)"])
    }

    /// The pure part: every rule on rows as given.
    @Test func everyCouponRuleIsChecked() {
        func order(_ id: String, serial: String?, discount: Int64, kind: String? = "rate", value: Int64? = 1500, limit: Int64? = nil)
            -> AuditedOrder
        {
            AuditedOrder(
                id: id, memberId: "m", merchantId: "s", listTotal: 999, discount: discount, total: 999 - discount,
                currency: "EUR", transactionId: "t_\(id)", couponSerial: serial,
                applied: AppliedCouponColumns(
                    issuerId: serial == nil ? nil : "i", discountKind: serial == nil ? nil : kind,
                    discountValue: serial == nil ? nil : value, discountCurrency: nil, maxUsesTotal: limit,
                    maxUsesPerMember: nil))
        }
        let orders = [
            order("fair", serial: "A", discount: 150),
            order("plain", serial: nil, discount: 0),
            order("legacy", serial: "B", discount: 100, kind: nil, value: nil),
            order("first", serial: "C", discount: 150, limit: 1),
            order("second", serial: "C", discount: 150, limit: 1),
            order("double", serial: "D", discount: 150),
        ]
        let redemptions = ["fair": "A", "plain": "Z", "legacy": "B", "first": "C", "second": "C"].map { id, serial in
            CouponAudit.Redemption(orderId: id, issuerId: "i", serial: serial, memberId: "m")
        } + [
            CouponAudit.Redemption(orderId: "double", issuerId: "i", serial: "D", memberId: "m"),
            CouponAudit.Redemption(orderId: "double", issuerId: "i", serial: "D", memberId: "m"),
            CouponAudit.Redemption(orderId: "nowhere", issuerId: "i", serial: "E", memberId: "m"),
        ]
        // The legacy order kept no terms; its uploaded coupon's 5 % says 50, not 100.
        let uploaded = [CouponAudit.key(issuerId: "i", serial: "B"): CouponAudit.StoredDiscount(kind: "rate", value: 500, currency: nil)]
        let problems = CouponAudit.problems(orders: orders, redemptions: redemptions, uploaded: uploaded)
        #expect(
            problems.map { "\($0.kind.rawValue) \($0.orderId ?? "-")" } == [
                "redemption_mismatch plain", "discount_mismatch legacy", "limit_exceeded second",
                "redemption_mismatch double", "redemption_mismatch nowhere",
            ])
    }
}
