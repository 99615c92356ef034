import GRDB

extension SQLiteStore {
    /// Checks the books in one read transaction: every ledger transaction sums to zero,
    /// every order's ledger entries are its two legs (`-total` from the member, `+total`
    /// to the merchant, in its currency), and `0 <= discount <= list_total` and
    /// `total = list_total - discount` for every order. Since migration "v3" the
    /// database refuses writes that break these (CouponStore.md, "Books that prove
    /// themselves"); the audit is the proof for rows written before, or behind the
    /// store's back with the constraints dropped. Only reads; a row it cannot read at
    /// all (a NULL amount, text in an amount column) throws
    /// ``StoreError/corruptRow(table:column:)``.
    public func audit() async throws -> LedgerAudit {
        try await writer.read { db in
            let orders = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, member_id, merchant_id, list_amount, discount_amount, total_amount, currency, transaction_id
                    FROM orders ORDER BY seq
                    """
            ).map(Self.auditedOrder(row:))
            let entries = try Row.fetchAll(
                db, sql: "SELECT transaction_id, account, amount, currency FROM ledger_entries ORDER BY id"
            ).map(Self.auditedEntry(row:))
            return LedgerAudit(orders: orders, entries: entries)
        }
    }

    /// The row as stored (a NULL, or text where an integer belongs, is a damaged row).
    private static func auditedOrder(row: Row) throws(StoreError) -> AuditedOrder {
        let reader = RowReader(row, table: "orders")
        return AuditedOrder(
            id: try reader.value("id"), memberId: try reader.value("member_id"), merchantId: try reader.value("merchant_id"),
            listTotal: try reader.value("list_amount"), discount: try reader.value("discount_amount"),
            total: try reader.value("total_amount"), currency: try reader.value("currency"),
            transactionId: try reader.value("transaction_id"))
    }

    private static func auditedEntry(row: Row) throws(StoreError) -> AuditedEntry {
        let reader = RowReader(row, table: "ledger_entries")
        return AuditedEntry(
            transactionId: try reader.value("transaction_id"), account: try reader.value("account"),
            amount: try reader.value("amount"), currency: try reader.value("currency"))
    }
}
