public import CouponStore
import CouponKit
import Foundation
import GRDB

extension SQLiteStore: OrderRepository {
    public func idempotencyRecord(memberId: String, key: String) async throws -> IdempotencyRecord? {
        try await writer.read { db in try Self.idempotencyRecord(db, memberId: memberId, key: key) }
    }

    /// Settles in one savepoint of a write transaction shared with the settlements that
    /// arrived meanwhile (`SettlementBatcher`: one commit, one sync for all of them).
    public func settle(_ settlement: Settlement) async throws -> SettlementOutcome {
        try await settlements.settle(settlement)
    }

    static func settleInTransaction(_ db: Database, _ settlement: Settlement) throws -> SettlementOutcome {
        let order = settlement.order
        if let existing = try Self.idempotencyRecord(db, memberId: order.memberId, key: settlement.idempotencyKey) {
            return .alreadyRecorded(existing)
        }
        if let redemption = settlement.redemption {
            try Self.checkNotRevoked(db, redemption)
            try Self.checkLimits(db, redemption, memberId: order.memberId)
        }
        let applied = AppliedCouponColumns(settlement.redemption)
        try db.executeCached(
            sql: """
                INSERT INTO orders (id, member_id, product_id, merchant_id, quantity, list_amount, discount_amount,
                    total_amount, currency, coupon_serial, payment_id, transaction_id, created_at, coupon_layer,
                    coupon_issuer_id, coupon_discount_kind, coupon_discount_value, coupon_discount_currency,
                    coupon_max_uses_total, coupon_max_uses_per_member)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                order.id, order.memberId, order.productId, order.merchantId, order.quantity, order.listTotal.amount,
                order.discount.amount, order.total.amount, order.total.currency.code, order.couponSerial,
                order.paymentId, order.transactionId, order.createdAt, order.couponLayer?.rawValue,
                applied.issuerId, applied.discountKind, applied.discountValue, applied.discountCurrency,
                applied.maxUsesTotal, applied.maxUsesPerMember,
            ])
        if let redemption = settlement.redemption {
            try db.executeCached(
                sql: "INSERT INTO redemptions (issuer_id, serial, member_id, order_id, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [redemption.issuerId, redemption.serial, order.memberId, order.id, order.createdAt])
        }
        try db.executeCached(
            sql: """
                INSERT INTO payments (id, order_id, transaction_id, amount, currency, status, created_at)
                VALUES (?, ?, ?, ?, ?, 'settled', ?)
                """,
            arguments: [
                order.paymentId, order.id, order.transactionId, order.total.amount, order.total.currency.code,
                order.createdAt,
            ])
        // Double entry: the member pays, the merchant receives; the transaction sums to zero.
        for (account, amount) in [("member:\(order.memberId)", -order.total.amount), ("merchant:\(order.merchantId)", order.total.amount)] {
            try db.executeCached(
                sql: "INSERT INTO ledger_entries (transaction_id, account, amount, currency, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [order.transactionId, account, amount, order.total.currency.code, order.createdAt])
        }
        // Closing the transaction is what checks it (migration "v3"): its entries must
        // balance and be the order's two legs; the order's deferred foreign key needs it.
        try db.executeCached(
            sql: "INSERT INTO ledger_transactions (id, created_at) VALUES (?, ?)",
            arguments: [order.transactionId, order.createdAt])
        try db.executeCached(
            sql: """
                INSERT INTO idempotency_keys (member_id, key, fingerprint, status, body, order_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                order.memberId, settlement.idempotencyKey, settlement.response.fingerprint, settlement.response.status,
                Data(settlement.response.body), order.id, order.createdAt,
            ])
        return .settled(order)
    }

    public func orders(memberId: String) async throws -> [Order] {
        try await writer.read { db in
            try Row.fetchAll(cached: db, sql: "SELECT * FROM orders WHERE member_id = ? ORDER BY seq", arguments: [memberId])
                .map(Self.order(row:))
        }
    }

    public func orders(merchantId: String) async throws -> [Order] {
        try await writer.read { db in
            try Row.fetchAll(cached: db, sql: "SELECT * FROM orders WHERE merchant_id = ? ORDER BY seq", arguments: [merchantId])
                .map(Self.order(row:))
        }
    }

    public func ledgerEntries() async throws -> [LedgerEntry] {
        try await writer.read { db in
            try Row.fetchAll(cached: db, sql: "SELECT * FROM ledger_entries ORDER BY id").map { row throws(StoreError) in
                try StoredRecord.ledgerEntry(RowReader(row, table: "ledger_entries"))
            }
        }
    }

    private static func idempotencyRecord(_ db: Database, memberId: String, key: String) throws -> IdempotencyRecord? {
        try Row.fetchOne(
            cached: db, sql: "SELECT fingerprint, status, body FROM idempotency_keys WHERE member_id = ? AND key = ?",
            arguments: [memberId, key]
        ).map { row throws(StoreError) in try StoredRecord.idempotencyRecord(RowReader(row, table: "idempotency_keys")) }
    }

    private static func checkLimits(_ db: Database, _ redemption: Settlement.Redemption, memberId: String) throws {
        if let limit = redemption.maxUsesTotal {
            let used =
                try Int.fetchOne(
                    cached: db, sql: "SELECT COUNT(*) FROM redemptions WHERE issuer_id = ? AND serial = ?",
                    arguments: [redemption.issuerId, redemption.serial]) ?? 0
            if used >= limit { throw StoreError.couponExhausted(serial: redemption.serial, perMember: false) }
        }
        if let limit = redemption.maxUsesPerMember {
            let used =
                try Int.fetchOne(
                    cached: db, sql: "SELECT COUNT(*) FROM redemptions WHERE issuer_id = ? AND serial = ? AND member_id = ?",
                    arguments: [redemption.issuerId, redemption.serial, memberId]) ?? 0
            if used >= limit { throw StoreError.couponExhausted(serial: redemption.serial, perMember: true) }
        }
    }

    static func order(row: Row) throws(StoreError) -> Order {
        try StoredRecord.order(RowReader(row, table: "orders"))
    }
}
