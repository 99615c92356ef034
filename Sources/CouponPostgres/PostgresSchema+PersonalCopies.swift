extension PostgresSchema {
    /// Version 10, personal coupons, as the SQLite store's "v11"
    /// (`CouponStore.PersonalCopyRepository`):
    /// - `server_keys`, the server's Ed25519 signing keys under their id (`srv_` and 16
    ///   hex digits), the private key as its 32 raw bytes; the current key is the one with
    ///   no `retired_at`, and the partial unique index `server_keys_current` allows one such
    ///   row at most, which is what instances starting together insert against
    ///   (`ON CONFLICT DO NOTHING`): one of them makes the first key;
    /// - `coupon_copies`, the copies handed to members: one per coupon and member (the
    ///   primary key, which racing requests for the same copy insert against), and one per
    ///   robust identifier under each of a merchant's robust keys (UNIQUE (merchant,
    ///   generation, copy id)), which is what a degraded copy is looked up by.
    static let personalCopies: [String] = [
        """
        CREATE TABLE server_keys (
            key_id TEXT PRIMARY KEY CHECK (key_id ~ '^srv_[0-9a-f]{16}$'),
            private_key BYTEA NOT NULL CHECK (octet_length(private_key) = 32),
            created_at TEXT NOT NULL,
            retired_at TEXT
        )
        """,
        "CREATE UNIQUE INDEX server_keys_current ON server_keys ((retired_at IS NULL)) WHERE retired_at IS NULL",
        """
        CREATE TABLE coupon_copies (
            coupon_id TEXT NOT NULL REFERENCES coupons(id),
            merchant_id TEXT NOT NULL REFERENCES merchants(id),
            member_id TEXT NOT NULL REFERENCES members(id),
            copy_id TEXT NOT NULL CHECK (copy_id ~ '^[0-9a-f]{16}$'),
            robust_key_generation BIGINT NOT NULL CHECK (robust_key_generation >= 1),
            issued_at TEXT NOT NULL,
            binding BYTEA NOT NULL,
            PRIMARY KEY (coupon_id, member_id),
            UNIQUE (merchant_id, robust_key_generation, copy_id)
        )
        """,
    ]
}
