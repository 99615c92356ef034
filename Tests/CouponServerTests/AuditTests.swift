import CouponKit
@testable import CouponSQLite
@testable import CouponStore
import Foundation
import GRDB
import StoreTestSupport
import Testing

/// ``SQLiteStore/audit()``: settled books audit clean; each kind of problem is found and
/// named; books from before migration "v3" are carried over only when they balance.
@Suite struct AuditTests {
    @Test func settledOrdersAuditClean() async throws {
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(dataDirectory: directory)
        #expect(try await store.audit() == LedgerAudit(ledgerBalanced: true, orders: 0, ledgerEntries: 0, problems: []))
        let fixture = try await AuditFixture.make(store)
        try await fixture.settle(list: 1000, discount: 150)
        try await fixture.settle(list: 2000, discount: 2000, quantity: 2)
        #expect(try await store.audit() == LedgerAudit(ledgerBalanced: true, orders: 2, ledgerEntries: 4, problems: []))
    }

    /// The pure part, on rows as a tamperer could have left them.
    @Test func everyKindOfProblemIsNamed() {
        func order(_ id: String, list: Int64, discount: Int64, total: Int64) -> AuditedOrder {
            AuditedOrder(
                id: id, memberId: "m", merchantId: "s", listTotal: list, discount: discount, total: total,
                currency: "EUR", transactionId: "t_\(id)")
        }
        let good = order("good", list: 1000, discount: 100, total: 900)
        let greedy = order("greedy", list: 1000, discount: 1200, total: -200)
        let miscounted = order("miscounted", list: 1000, discount: 100, total: 800)
        let entries =
            good.expectedLegs + greedy.expectedLegs + miscounted.expectedLegs.prefix(1) + [
                AuditedEntry(transactionId: "t_miscounted", account: "merchant:s", amount: 700, currency: "EUR"),
                AuditedEntry(transactionId: "t_stray", account: "merchant:s", amount: 5, currency: "EUR"),
            ]
        let audit = LedgerAudit(orders: [good, greedy, miscounted], entries: entries)
        #expect(!audit.ledgerBalanced)
        #expect(!audit.isClean)
        #expect((audit.orders, audit.ledgerEntries) == (3, 7))
        #expect(
            audit.problems.map { "\($0.kind.rawValue) \($0.orderId ?? "-") \($0.transactionId)" } == [
                "transaction_unbalanced - t_miscounted", "transaction_unbalanced - t_stray",
                "transaction_without_order - t_stray", "discount_out_of_range greedy t_greedy",
                "total_mismatch miscounted t_miscounted", "ledger_mismatch miscounted t_miscounted",
            ])
        #expect(audit.problems[0].detail == "entries sum to -100 EUR")
        #expect(audit.problems[3].detail == "discount 1200 is outside 0...1000 (the list total)")
        #expect(
            audit.problems[5].detail
                == "expected member:m -800 EUR, merchant:s 800 EUR; the ledger has member:m -800 EUR, merchant:s 700 EUR")
    }

    /// A database file migrated only up to "v2", with orders settled the way "v2" wrote
    /// them (no `ledger_transactions`), `amount` legs as given.
    private func makeV2Database(legs: [(Int64, Int64)]) async throws -> (DatabaseQueue, String) {
        let directory = makeTemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: directory + "/" + SQLiteStore.fileName)
        try SQLiteStore.migrator.migrate(queue, upTo: "v2")
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO merchants (id, name, issuer_id, public_key, created_at) VALUES ('mch_1', 'Shop', 'iss_1', ?, 'then');
                    INSERT INTO members (id, kind, name, email, email_key, created_at)
                    VALUES ('mem_1', 'individual', 'A', 'a@b.co', 'a@b.co', 'then');
                    INSERT INTO products (id, merchant_id, sku, name, description, price_amount, currency, created_at)
                    VALUES ('prod_1', 'mch_1', 'SKU', 'Lamp', '', 1000, 'EUR', 'then');
                    """, arguments: [Data(IssuerKey().publicKey.rawBytes)])
            for (index, (member, merchant)) in legs.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO orders (id, member_id, product_id, merchant_id, quantity, list_amount, discount_amount,
                            total_amount, currency, coupon_serial, payment_id, transaction_id, created_at)
                        VALUES ('ord_\(index)', 'mem_1', 'prod_1', 'mch_1', 1, 1000, 100, 900, 'EUR', NULL, 'pay_\(index)',
                            'txn_\(index)', 'then');
                        INSERT INTO payments (id, order_id, transaction_id, amount, currency, status, created_at)
                        VALUES ('pay_\(index)', 'ord_\(index)', 'txn_\(index)', 900, 'EUR', 'settled', 'then');
                        INSERT INTO ledger_entries (transaction_id, account, amount, currency, created_at)
                        VALUES ('txn_\(index)', 'member:mem_1', \(member), 'EUR', 'then'),
                            ('txn_\(index)', 'merchant:mch_1', \(merchant), 'EUR', 'then');
                        """)
            }
        }
        return (queue, directory)
    }

    @Test func settledV2BooksMigrateToV3AndAuditClean() async throws {
        let (queue, directory) = try await makeV2Database(legs: [(-900, 900), (-900, 900)])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(writer: queue)
        #expect(try await queue.read { db in try SQLiteStore.migrator.appliedMigrations(db) } == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11"])
        #expect(try await store.audit() == LedgerAudit(ledgerBalanced: true, orders: 2, ledgerEntries: 4, problems: []))
        #expect(try await queue.read { db in try String.fetchAll(db, sql: "SELECT id FROM ledger_transactions") }
            == ["txn_0", "txn_1"])
        #expect(try await queue.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count } == 0)
        // The migrated books take new orders through the v3 write path, and stay closed.
        let fixture = try await AuditFixture.make(store, merchantId: "mch_1", productId: "prod_1")
        try await fixture.settle(list: 1000, discount: 100)
        #expect(try await store.audit().isClean)
        await #expect(throws: DatabaseError.self) { try await fixture.execute("DELETE FROM orders WHERE id = 'ord_0'") }
    }

    @Test func unbalancedV2BooksStopTheMigration() async throws {
        let (queue, directory) = try await makeV2Database(legs: [(-900, 900), (-900, 800)])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let error = #expect(throws: DatabaseError.self) { _ = try SQLiteStore(writer: queue) }
        #expect(error?.message == "ledger transaction does not balance")
        // Rolled back whole: still "v2", the rows as they were, nothing repaired.
        #expect(try await queue.read { db in try SQLiteStore.migrator.appliedMigrations(db) } == ["v1", "v2"])
        #expect(try await queue.read { db in try Int64.fetchAll(db, sql: "SELECT amount FROM ledger_entries ORDER BY id") }
            == [-900, 900, -900, 800])
    }
}
