public import CouponStore
public import Foundation

extension SQLiteStore: RateLimitRepository {
    /// In this process's memory (``RateBuckets``): one `coupon-server` serves an SQLite
    /// database, so its memory is the whole deployment's.
    public func admit(key: String, perMinute: Int, at date: Date) async throws -> Int? {
        rateBuckets.take(key, perMinute: perMinute, at: date)
    }
}
