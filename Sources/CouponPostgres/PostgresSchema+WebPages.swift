extension PostgresSchema {
    /// Version 8, the web pages' sessions, as the SQLite store's "v9"
    /// (`CouponStore.StoredSession`): one row per SHA-256 of a session key, `key_hash`
    /// held to 64 lowercase hex digits (nothing but a hash can be stored as a key),
    /// `expires_at` whole Unix seconds (NULL: no expiry), indexed for the sweep of expired
    /// records. Not append-only: sessions are replaced and deleted.
    static let webSessions: [String] = [
        """
        CREATE TABLE web_sessions (
            key_hash TEXT PRIMARY KEY CHECK (key_hash ~ '^[0-9a-f]{64}$'),
            value TEXT NOT NULL,
            expires_at BIGINT
        )
        """,
        "CREATE INDEX web_sessions_expiry ON web_sessions(expires_at)",
    ]

    /// Version 9, the merchant dashboard's indexes, as the SQLite store's "v10"
    /// (`CouponStore.MerchantDashboardRepository`): a merchant's products
    /// (`products_merchant`, until now found only by scanning `products`), and its orders
    /// with a coupon by time (`orders_merchant_coupon_day`, partial: only rows with a
    /// `coupon_serial`), which the per-day counts read alone.
    static let merchantDashboard: [String] = [
        "CREATE INDEX products_merchant ON products(merchant_id, seq)",
        "CREATE INDEX orders_merchant_coupon_day ON orders(merchant_id, created_at) WHERE coupon_serial IS NOT NULL",
    ]
}
