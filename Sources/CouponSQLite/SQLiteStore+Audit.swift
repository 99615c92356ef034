public import CouponStore
import GRDB

extension SQLiteStore {
    /// Checks the books in one read transaction: every ledger transaction sums to zero,
    /// every order's ledger entries are its two legs (`-total` from the member, `+total`
    /// to the merchant, in its currency), and `0 <= discount <= list_total` and
    /// `total = list_total - discount` for every order; and the coupon rules
    /// (`CouponAudit`: one redemption per coupon order, the discount its terms give,
    /// no limit exceeded). Since migration "v3" the
    /// database refuses writes that break these (CouponStore.md, "Books that prove
    /// themselves"); the audit is the proof for rows written before, or behind the
    /// store's back with the constraints dropped. Only reads; a row it cannot read at
    /// all (a NULL amount, text in an amount column) throws
    /// `StoreError/corruptRow(table:column:)`.
    public func audit() async throws -> LedgerAudit {
        try await writer.read { db in
            let orders = try Row.fetchAll(
                db, sql: "SELECT \(StoredRecord.auditedOrderColumns) FROM orders ORDER BY seq"
            ).map { row throws(StoreError) in try StoredRecord.auditedOrder(RowReader(row, table: "orders")) }
            let entries = try Row.fetchAll(
                db, sql: "SELECT transaction_id, account, amount, currency FROM ledger_entries ORDER BY id"
            ).map { row throws(StoreError) in try StoredRecord.auditedEntry(RowReader(row, table: "ledger_entries")) }
            let redemptions = try Row.fetchAll(
                db, sql: "SELECT order_id, issuer_id, serial, member_id FROM redemptions ORDER BY id"
            ).map { row throws(StoreError) in try StoredRecord.auditedRedemption(RowReader(row, table: "redemptions")) }
            let uploaded = try StoredRecord.uploadedDiscounts(
                try Row.fetchAll(
                    db, sql: "SELECT issuer_id, serial, discount_kind, discount_value, discount_currency FROM coupons ORDER BY seq"
                ).lazy.map { RowReader($0, table: "coupons") })
            return LedgerAudit(orders: orders, entries: entries, redemptions: redemptions, uploaded: uploaded)
        }
    }
}
