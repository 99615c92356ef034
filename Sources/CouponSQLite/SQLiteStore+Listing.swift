import CouponStore
import GRDB

/// Migration "v7": coupons kept out of the catalog, and books that prove the coupon rules.
/// - `coupons.listed` is 0 for an upload sent with `Coupon-Listed: false`
///   (`StoredCoupon/listed`); the coupons stored before were all handed out, so they
///   stay listed.
/// - `orders` keeps the coupon terms each order applied (`AppliedCouponColumns`), NULL
///   for the orders settled before (append-only: not back-filled). (PostgreSQL's version of it,
/// `PostgresSchema.limitsAndListing`, also holds the rate-limit counters, which SQLite
/// keeps in the server's memory: ``RateBuckets``.)
extension SQLiteStore {
    static func migrateToListing(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE coupons ADD COLUMN listed INTEGER NOT NULL DEFAULT 1 CHECK (listed IN (0, 1))")
        try db.execute(
            sql: """
                ALTER TABLE orders ADD COLUMN coupon_issuer_id TEXT;
                ALTER TABLE orders ADD COLUMN coupon_discount_kind TEXT CHECK (coupon_discount_kind IN ('rate', 'amount'));
                ALTER TABLE orders ADD COLUMN coupon_discount_value INTEGER;
                ALTER TABLE orders ADD COLUMN coupon_discount_currency TEXT;
                ALTER TABLE orders ADD COLUMN coupon_max_uses_total INTEGER;
                ALTER TABLE orders ADD COLUMN coupon_max_uses_per_member INTEGER;
                """)
    }

    /// "v8": what each upload verified (`StoredCoupon/verified`), so that an order with a
    /// copy applies it without verifying the stored picture again. Coupons uploaded before
    /// keep NULL and are verified again when a copy names them.
    static func migrateToVerifiedTerms(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE coupons ADD COLUMN verified_terms TEXT;
                ALTER TABLE coupons ADD COLUMN seal_epoch INTEGER CHECK (seal_epoch BETWEEN 0 AND 4294967295);
                """)
    }
}
