extension PostgresSchema {
    /// Limits that hold across instances, and coupons kept out of the catalog (the
    /// SQLite store's "v7"):
    /// - `rate_counts`: one row per key and one-minute window, raised by
    ///   ``PostgresStore/admit(key:perMinute:at:)`` in one statement; rows of past windows
    ///   are deleted as new ones come;
    /// - `coupons.listed`: false for an upload sent with `Coupon-Listed: false`, which
    ///   orders and identify recognise but the catalog never hands out. Coupons stored
    ///   before were all handed out: they stay listed;
    /// - the coupon terms each order applied, on its `orders` row (`AppliedCouponColumns`),
    ///   which `settle_order` writes with no change (it inserts the row from JSON keyed by
    ///   column: `PostgresOrderRow`).
    static let limitsAndListing: [String] = [
        """
        CREATE TABLE rate_counts (
            key TEXT NOT NULL,
            window_start BIGINT NOT NULL,
            used INTEGER NOT NULL CHECK (used >= 1),
            PRIMARY KEY (key, window_start)
        )
        """,
        "CREATE INDEX rate_counts_window ON rate_counts(window_start)",
        "ALTER TABLE coupons ADD COLUMN listed BOOLEAN NOT NULL DEFAULT TRUE",
        """
        ALTER TABLE orders ADD COLUMN coupon_issuer_id TEXT,
            ADD COLUMN coupon_discount_kind TEXT CHECK (coupon_discount_kind IN ('rate', 'amount')),
            ADD COLUMN coupon_discount_value BIGINT,
            ADD COLUMN coupon_discount_currency TEXT,
            ADD COLUMN coupon_max_uses_total BIGINT,
            ADD COLUMN coupon_max_uses_per_member BIGINT
        """,
    ]

    /// What each upload verified (the SQLite store's "v8"): `coupons.verified_terms` and
    /// `coupons.seal_epoch` (`StoredCoupon/verified`). Coupons uploaded before keep NULL.
    static let verifiedTerms: [String] = [
        """
        ALTER TABLE coupons ADD COLUMN verified_terms TEXT,
            ADD COLUMN seal_epoch BIGINT CHECK (seal_epoch BETWEEN 0 AND 4294967295)
        """
    ]
}
