public import CouponStore
import PostgresNIO

extension PostgresStore {
    /// Checks the books like `SQLiteStore/audit()`, in one read-only REPEATABLE READ
    /// transaction (one snapshot of orders and entries): every ledger transaction sums
    /// to zero, every order's entries are its two legs, the order's amounts agree, and the
    /// coupon rules hold (`CouponAudit`).
    /// The schema refuses writes that break these; the audit is the proof for rows
    /// written behind the store's back. A row it cannot read throws
    /// `StoreError/corruptRow(table:column:)`.
    public func audit() async throws -> LedgerAudit {
        try await transaction(snapshot: true) { [logger] connection in
            let orders = try await connection.rows(
                "SELECT \(unescaped: StoredRecord.auditedOrderColumns) FROM orders ORDER BY seq", logger: logger
            ).map { row throws(StoreError) in try StoredRecord.auditedOrder(PostgresRowReader(row, table: "orders")) }
            let entries = try await connection.rows(
                "SELECT transaction_id, account, amount, currency FROM ledger_entries ORDER BY id", logger: logger
            ).map { row throws(StoreError) in try StoredRecord.auditedEntry(PostgresRowReader(row, table: "ledger_entries")) }
            let redemptions = try await connection.rows(
                "SELECT order_id, issuer_id, serial, member_id FROM redemptions ORDER BY id", logger: logger
            ).map { row throws(StoreError) in
                try StoredRecord.auditedRedemption(PostgresRowReader(row, table: "redemptions"))
            }
            let uploaded = try StoredRecord.uploadedDiscounts(
                try await connection.rows(
                    "SELECT issuer_id, serial, discount_kind, discount_value, discount_currency FROM coupons ORDER BY seq",
                    logger: logger
                ).lazy.map { PostgresRowReader($0, table: "coupons") })
            return LedgerAudit(orders: orders, entries: entries, redemptions: redemptions, uploaded: uploaded)
        }
    }
}
