public import CouponStore
import PostgresNIO

/// The merchant dashboard's reads (`PostgresSchema.merchantDashboard` adds their
/// indexes), each one statement, as the SQLite store's.
extension PostgresStore: MerchantDashboardRepository {
    /// Uses and revocation are looked up under the merchant's issuer id, as
    /// ``revokeCoupon(serial:merchantId:at:)`` writes them and settlements count them.
    public func merchantCoupons(merchantId: String, limit: Int) async throws -> [MerchantCouponSummary] {
        try await rows(
            """
            SELECT c.id, c.serial, c.title, c.product_id, c.created_at, p.name AS product_name,
                (SELECT COUNT(*) FROM redemptions r WHERE r.issuer_id = m.issuer_id AND r.serial = c.serial) AS uses,
                (SELECT v.revoked_at FROM revoked_coupons v WHERE v.issuer_id = m.issuer_id AND v.serial = c.serial)
                    AS revoked_at
            FROM products p
            JOIN merchants m ON m.id = p.merchant_id
            JOIN coupons c ON c.product_id = p.id
            WHERE p.merchant_id = \(merchantId)
            ORDER BY c.seq DESC LIMIT \(Int64(max(0, limit)))
            """
        ).map { row throws(StoreError) in try StoredRecord.merchantCouponSummary(PostgresRowReader(row, table: "coupons")) }
    }

    public func merchantOrders(merchantId: String, offset: Int, limit: Int) async throws -> [Order] {
        try await rows(
            """
            SELECT * FROM orders WHERE merchant_id = \(merchantId)
            ORDER BY seq DESC LIMIT \(Int64(max(0, limit))) OFFSET \(Int64(max(0, offset)))
            """
        ).map(Self.order(row:))
    }

    public func couponOrdersPerDay(merchantId: String, since: String) async throws -> [DailyCount] {
        try await rows(
            """
            SELECT substr(created_at, 1, 10) AS day, COUNT(*) AS count FROM orders
            WHERE merchant_id = \(merchantId) AND coupon_serial IS NOT NULL AND created_at >= \(since)
            GROUP BY day ORDER BY day
            """
        ).map { row throws(StoreError) in try StoredRecord.dailyCount(PostgresRowReader(row, table: "orders")) }
    }
}
