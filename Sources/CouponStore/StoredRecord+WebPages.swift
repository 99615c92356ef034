import Foundation

/// What the web pages store and read, as both stores write and read it: the sessions of
/// `web_sessions` (``StoredSession``: the columns, their order, the whole seconds of
/// `expires_at`) and the merchant dashboard's rows (``MerchantDashboardRepository``).
extension StoredRecord {
    /// The columns ``session(_:)`` reads.
    package static let sessionColumns = "key_hash, value, expires_at"

    /// The order ``SessionRepository/sessions(now:)`` lists in: soonest expiry first, a
    /// record without one last (SQLite sorts NULL first, PostgreSQL last: said here
    /// once for both), then by hash so that the order is total.
    package static let sessionOrder = "expires_at IS NULL, expires_at, key_hash"

    /// A `web_sessions` row of ``sessionColumns``.
    package static func session(_ reader: some StoreRowReading) throws(StoreError) -> StoredSession {
        StoredSession(
            keyHash: try reader.text("key_hash"), value: try reader.text("value"),
            expiresAt: try reader.optionalInteger("expires_at").map { Date(timeIntervalSince1970: Double($0)) })
    }

    /// `date` as `expires_at` holds it, and as a query compares it: whole Unix seconds,
    /// rounded down (an expiry is never later than asked), clamped to ±10^15 s so that
    /// no date traps. For an expiry `e` in whole seconds, `e > now` exactly when
    /// `e > sessionSeconds(now)`, so comparing in seconds decides as the dates would.
    package static func sessionSeconds(_ date: Date) -> Int64 {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds.isFinite else { return seconds < 0 ? -1_000_000_000_000_000 : 1_000_000_000_000_000 }
        return Int64(min(max(seconds, -1e15), 1e15))
    }

    /// A row of the dashboard's coupon query: `id`, `serial`, `title`, `product_id` and
    /// `created_at` of `coupons`, `product_name`, and the computed `uses` and `revoked_at`.
    package static func merchantCouponSummary(_ reader: some StoreRowReading) throws(StoreError)
        -> MerchantCouponSummary
    {
        MerchantCouponSummary(
            id: try reader.text("id"), serial: try reader.text("serial"), title: try reader.text("title"),
            productId: try reader.text("product_id"), productName: try reader.text("product_name"),
            uses: try reader.int("uses"), revokedAt: try reader.optionalText("revoked_at"),
            createdAt: try reader.text("created_at"))
    }

    /// A row of the dashboard's per-day query: `day` and `count`.
    package static func dailyCount(_ reader: some StoreRowReading) throws(StoreError) -> DailyCount {
        DailyCount(day: try reader.text("day"), count: try reader.int("count"))
    }
}
