public import CouponStore
import GRDB

/// Migration "v10": the indexes the merchant dashboard's reads need beside
/// `orders_merchant` (``MerchantDashboardRepository``):
/// - `products_merchant`, a merchant's products (until now found only by scanning
///   `products`), from which its coupons are found by `coupons_product`;
/// - `orders_merchant_coupon_day`, a merchant's orders with a coupon by time, partial
///   (`WHERE coupon_serial IS NOT NULL`): the per-day counts read only the index.
extension SQLiteStore {
    static func migrateToMerchantDashboard(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE INDEX products_merchant ON products(merchant_id, seq);
                CREATE INDEX orders_merchant_coupon_day ON orders(merchant_id, created_at) WHERE coupon_serial IS NOT NULL;
                """)
    }
}

extension SQLiteStore: MerchantDashboardRepository {
    /// Uses and revocation are looked up under the merchant's issuer id, as
    /// ``revokeCoupon(serial:merchantId:at:)`` writes them and settlements count them.
    public func merchantCoupons(merchantId: String, limit: Int) async throws -> [MerchantCouponSummary] {
        try await writer.read { db in
            try Row.fetchAll(
                cached: db,
                sql: """
                    SELECT c.id, c.serial, c.title, c.product_id, c.created_at, p.name AS product_name,
                        (SELECT COUNT(*) FROM redemptions r WHERE r.issuer_id = m.issuer_id AND r.serial = c.serial) AS uses,
                        (SELECT v.revoked_at FROM revoked_coupons v WHERE v.issuer_id = m.issuer_id AND v.serial = c.serial)
                            AS revoked_at
                    FROM products p
                    JOIN merchants m ON m.id = p.merchant_id
                    JOIN coupons c ON c.product_id = p.id
                    WHERE p.merchant_id = ?
                    ORDER BY c.seq DESC LIMIT ?
                    """,
                arguments: [merchantId, max(0, limit)]
            ).map { row throws(StoreError) in try StoredRecord.merchantCouponSummary(RowReader(row, table: "coupons")) }
        }
    }

    public func merchantOrders(merchantId: String, offset: Int, limit: Int) async throws -> [Order] {
        try await writer.read { db in
            try Row.fetchAll(
                cached: db, sql: "SELECT * FROM orders WHERE merchant_id = ? ORDER BY seq DESC LIMIT ? OFFSET ?",
                arguments: [merchantId, max(0, limit), max(0, offset)]
            ).map(Self.order(row:))
        }
    }

    public func couponOrdersPerDay(merchantId: String, since: String) async throws -> [DailyCount] {
        try await writer.read { db in
            try Row.fetchAll(
                cached: db,
                sql: """
                    SELECT substr(created_at, 1, 10) AS day, COUNT(*) AS count FROM orders
                    WHERE merchant_id = ? AND coupon_serial IS NOT NULL AND created_at >= ?
                    GROUP BY day ORDER BY day
                    """,
                arguments: [merchantId, since]
            ).map { row throws(StoreError) in try StoredRecord.dailyCount(RowReader(row, table: "orders")) }
        }
    }
}
