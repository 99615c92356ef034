import CouponKit
@testable import CouponSQLite
@testable import CouponStore
import Foundation
import GRDB
import StoreTestSupport
import Testing

/// Migration "v3": the database itself refuses writes that would unbalance the books,
/// with SQLite's own message in a GRDB `DatabaseError` (SQLITE_CONSTRAINT).
@Suite struct LedgerConstraintTests {
    /// Expects `sql`, run in one write transaction, to be refused with `message`; nothing
    /// of it is kept.
    private func expectRefused(
        _ fixture: AuditFixture, _ message: String, _ sql: String, _ arguments: StatementArguments = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let before = try await counts(fixture)
        let error = await #expect(throws: DatabaseError.self, sourceLocation: sourceLocation) {
            try await fixture.execute(sql, arguments)
        }
        #expect(error?.resultCode == .SQLITE_CONSTRAINT, sourceLocation: sourceLocation)
        #expect(error?.message == message, sourceLocation: sourceLocation)
        #expect(try await counts(fixture) == before, "the refused write left rows", sourceLocation: sourceLocation)
    }

    private func counts(_ fixture: AuditFixture) async throws -> [Int] {
        try await fixture.sqlite.writer.read { db in
            try ["orders", "payments", "ledger_entries", "ledger_transactions"].map { table in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1
            }
        }
    }

    private func withFixture(_ body: (AuditFixture) async throws -> Void) async throws {
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await body(try await AuditFixture.make(try SQLiteStore(dataDirectory: directory)))
    }

    /// An order row in `fixture`'s names; `values` are quantity, list, discount, total;
    /// then, with `payment`, its payment of that amount.
    private func insertOrder(_ fixture: AuditFixture, id: String, _ values: String, payment: Int64? = nil)
        -> (String, StatementArguments)
    {
        let paymentRow = payment.map { amount in
            """
            INSERT INTO payments (id, order_id, transaction_id, amount, currency, status, created_at)
            VALUES ('pay_\(id)', '\(id)', 'txn_\(id)', \(amount), 'EUR', 'settled', 'now');
            """
        }
        return (
            """
            INSERT INTO orders (id, member_id, product_id, merchant_id, quantity, list_amount, discount_amount,
                total_amount, currency, coupon_serial, payment_id, transaction_id, created_at)
            VALUES ('\(id)', ?, ?, ?, \(values), 'EUR', NULL, 'pay_\(id)', 'txn_\(id)', 'now');
            \(paymentRow ?? "")
            """, [fixture.memberId, fixture.productId, fixture.merchantId]
        )
    }

    @Test func anUnbalancedTransactionCannotBeClosed() async throws {
        try await withFixture { fixture in
            try await expectRefused(
                fixture, "ledger transaction does not balance",
                """
                INSERT INTO ledger_entries (transaction_id, account, amount, currency, created_at)
                VALUES ('txn_x', 'member:a', -500, 'EUR', 'now'), ('txn_x', 'merchant:b', 400, 'EUR', 'now');
                INSERT INTO ledger_transactions (id, created_at) VALUES ('txn_x', 'now');
                """)
        }
    }

    @Test func entriesOfATransactionNeverClosedAreRefusedAtCommit() async throws {
        try await withFixture { fixture in
            try await expectRefused(
                fixture, "FOREIGN KEY constraint failed",
                """
                INSERT INTO ledger_entries (transaction_id, account, amount, currency, created_at)
                VALUES ('txn_x', 'member:a', -500, 'EUR', 'now');
                """)
        }
    }

    @Test func aBalancedTransactionMustStillBeItsOrdersTwoLegs() async throws {
        try await withFixture { fixture in
            let (order, arguments) = insertOrder(fixture, id: "o1", "1, 1000, 0, 1000", payment: 1000)
            try await expectRefused(
                fixture, "ledger transaction does not match its order",
                order + """
                    INSERT INTO ledger_entries (transaction_id, account, amount, currency, created_at)
                    VALUES ('txn_o1', 'member:\(fixture.memberId)', -900, 'EUR', 'now'),
                        ('txn_o1', 'merchant:\(fixture.merchantId)', 900, 'EUR', 'now');
                    INSERT INTO ledger_transactions (id, created_at) VALUES ('txn_o1', 'now');
                    """, arguments)
        }
    }

    @Test func noEntryJoinsAClosedTransaction() async throws {
        try await withFixture { fixture in
            let order = try await fixture.settle(list: 1000, discount: 100)
            try await expectRefused(
                fixture, "ledger transaction is closed",
                "INSERT INTO ledger_entries (transaction_id, account, amount, currency, created_at) VALUES (?, 'x', 5, 'EUR', 'now')",
                [order.transactionId])
        }
    }

    @Test func orderAmountsAreChecked() async throws {
        try await withFixture { fixture in
            for (values, constraint) in [
                ("1, 1000, 1500, -500", "discount_within_list"), ("1, 1000, -10, 1010", "discount_not_negative"),
                ("0, 1000, 0, 1000", "quantity_positive"), ("1, 1000, 100, 1000", "total_is_list_minus_discount"),
                ("1, '1000x', 0, 1000", "amounts_are_integers"),
            ] {
                let (sql, arguments) = insertOrder(fixture, id: "o1", values)
                try await expectRefused(fixture, "CHECK constraint failed: \(constraint)", sql, arguments)
            }
        }
    }

    @Test func anOrderWithoutItsPaymentAndTransactionIsRefusedAtCommit() async throws {
        try await withFixture { fixture in
            let (sql, arguments) = insertOrder(fixture, id: "o1", "1, 1000, 0, 1000")
            try await expectRefused(fixture, "FOREIGN KEY constraint failed", sql, arguments)
        }
    }

    @Test func aPaymentMustMatchItsOrder() async throws {
        try await withFixture { fixture in
            let (sql, arguments) = insertOrder(fixture, id: "o1", "1, 1000, 0, 1000", payment: 999)
            try await expectRefused(fixture, "payment does not match its order", sql, arguments)
        }
    }

    @Test func theMoneyTablesAreAppendOnly() async throws {
        try await withFixture { fixture in
            let order = try await fixture.settle(list: 1000, discount: 250, quantity: 2)
            for table in ["orders", "payments", "ledger_entries", "ledger_transactions"] {
                try await expectRefused(fixture, "\(table) is append-only", "DELETE FROM \(table)")
                try await expectRefused(fixture, "\(table) is append-only", "UPDATE \(table) SET created_at = 'later'")
            }
            try await fixture.execute(
                "INSERT INTO redemptions (issuer_id, serial, member_id, order_id, created_at) VALUES ('i', 's', ?, ?, 'now')",
                [fixture.memberId, order.id])
            try await expectRefused(fixture, "redemptions is append-only", "UPDATE redemptions SET serial = 't'")
            try await expectRefused(fixture, "redemptions is append-only", "DELETE FROM redemptions")
            #expect(try await fixture.store.orders(memberId: fixture.memberId) == [order])
            // The ledger is untouched, but a redemption for an order without a coupon is
            // a coupon rule broken, which the audit names.
            let audit = try await fixture.sqlite.audit()
            #expect(audit.ledgerBalanced)
            #expect(audit.problems.map { "\($0.kind.rawValue) \($0.orderId ?? "-")" } == ["redemption_mismatch \(order.id)"])
        }
    }

    @Test func theSettlementPathStillSettles() async throws {
        try await withFixture { fixture in
            let free = try await fixture.settle(list: 1000, discount: 1000)
            let paid = try await fixture.settle(list: 3000, discount: 450, quantity: 3)
            #expect(try await fixture.store.orders(memberId: fixture.memberId) == [free, paid])
            let entries = try await fixture.store.ledgerEntries()
            #expect(entries.map(\.amount) == [0, 0, -2550, 2550])
            let closed = try await fixture.sqlite.writer.read { db in
                try String.fetchAll(db, sql: "SELECT id FROM ledger_transactions ORDER BY rowid")
            }
            #expect(closed == [free.transactionId, paid.transactionId])
        }
    }
}
