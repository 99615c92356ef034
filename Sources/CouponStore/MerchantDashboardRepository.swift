/// Orders with a coupon on one UTC day (``MerchantDashboardRepository/couponOrdersPerDay(merchantId:since:)``).
public struct DailyCount: Sendable, Equatable {
    /// The day, `YYYY-MM-DD`, UTC: the first ten characters of the orders' `created_at`.
    public var day: String
    public var count: Int

    public init(day: String, count: Int) {
        (self.day, self.count) = (day, count)
    }
}

/// What a merchant's web dashboard reads: its coupons, its orders a page at a time, and
/// its orders with a coupon per day. Reads only; each method is one statement, served by
/// an index (SQLite's "v10", PostgreSQL's version 9 add the two it needs beside
/// `orders_merchant`):
/// - coupons: `products_merchant` (`products(merchant_id, seq)`), then `coupons_product`;
///   each coupon's uses are counted on `redemptions_coupon` and its revocation is found
///   by the primary key of `revoked_coupons`, both under the merchant's issuer id;
/// - orders: `orders_merchant` (`orders(merchant_id, seq)`), read backwards;
/// - per day: `orders_merchant_coupon_day` (`orders(merchant_id, created_at)` for the
///   orders with a coupon only).
///
/// Times are the stored ISO 8601 UTC text (``Timestamp``), which sorts as the times do,
/// so a day is its first ten characters and `since` compares as text.
public protocol MerchantDashboardRepository: Sendable {
    /// The merchant's uploaded coupons (every product of theirs), newest first, at most `limit`.
    func merchantCoupons(merchantId: String, limit: Int) async throws -> [MerchantCouponSummary]
    /// A page of the merchant's orders, newest first: `limit` orders after skipping `offset`.
    func merchantOrders(merchantId: String, offset: Int, limit: Int) async throws -> [Order]
    /// Orders with a coupon per UTC day for the merchant's products, for days >= `since` (a "YYYY-MM-DD" string), oldest day first; days without orders are absent.
    func couponOrdersPerDay(merchantId: String, since: String) async throws -> [DailyCount]
}
