extension PostgresSchema {
    /// Version 4, a robust key per merchant, as the SQLite store's "v6"
    /// (`CouponStore.MerchantRobustKey`): `merchant_robust_keys` and
    /// `coupons.robust_key_generation`. When the old shared key exists (`robust_key`,
    /// version 3), every existing merchant gets it as generation 1 (derivation v1) and
    /// every existing coupon is recorded under it, with the v1 `robust_id` version 3
    /// computed. The merchants' own new keys are random, made in Swift right after the
    /// versions are applied (``PostgresStore/giveMerchantsOwnRobustKeys(on:logger:)``,
    /// in the same transaction), since SQL has no strong random bytes without pgcrypto.
    static let merchantRobustKeys: [String] = [
        """
        CREATE TABLE merchant_robust_keys (
            merchant_id TEXT NOT NULL REFERENCES merchants(id),
            generation BIGINT NOT NULL CHECK (generation >= 1),
            key BYTEA NOT NULL CHECK (octet_length(key) = 32),
            derivation BIGINT NOT NULL CHECK (derivation IN (1, 2)),
            created_at TEXT NOT NULL,
            retired_at TEXT,
            PRIMARY KEY (merchant_id, generation)
        )
        """,
        """
        INSERT INTO merchant_robust_keys (merchant_id, generation, key, derivation, created_at)
        SELECT m.id, 1, r.key, 1, r.created_at FROM merchants m CROSS JOIN robust_key r WHERE r.id = 1
        """,
        "ALTER TABLE coupons ADD COLUMN robust_key_generation BIGINT CHECK (robust_key_generation >= 1)",
        "UPDATE coupons SET robust_key_generation = 1 WHERE EXISTS (SELECT 1 FROM robust_key WHERE id = 1)",
    ]
}
