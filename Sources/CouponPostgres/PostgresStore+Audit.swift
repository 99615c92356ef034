public import CouponStore
import PostgresNIO

extension PostgresStore {
    /// Checks the books like ``SQLiteStore/audit()``, in one read-only REPEATABLE READ
    /// transaction (one snapshot of orders and entries): every ledger transaction sums
    /// to zero, every order's entries are its two legs, and the order's amounts agree.
    /// The schema refuses writes that break these; the audit is the proof for rows
    /// written behind the store's back. A row it cannot read throws
    /// ``StoreError/corruptRow(table:column:)``.
    public func audit() async throws -> LedgerAudit {
        try await transaction(snapshot: true) { connection in
            let orders = try await connection.rows(
                """
                SELECT id, member_id, merchant_id, list_amount, discount_amount, total_amount, currency, transaction_id
                FROM orders ORDER BY seq
                """, logger: logger
            ).map { row throws(StoreError) in try StoredRecord.auditedOrder(PostgresRowReader(row, table: "orders")) }
            let entries = try await connection.rows(
                "SELECT transaction_id, account, amount, currency FROM ledger_entries ORDER BY id", logger: logger
            ).map { row throws(StoreError) in try StoredRecord.auditedEntry(PostgresRowReader(row, table: "ledger_entries")) }
            return LedgerAudit(orders: orders, entries: entries)
        }
    }
}
