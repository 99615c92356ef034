/// Table definitions that read the same in SQLite and PostgreSQL, written once for the
/// first schema versions of both stores (SQLite's migrations "v1" and "v4", PostgreSQL's
/// version 1). Frozen like the migrations that use them: a shipped migration must run
/// the same statements forever, so a change to a table is a new migration, never an
/// edit here.
package enum PortableSchema {
    /// Individual and corporate members; `email_key` (the lower-cased email) is unique.
    package static let members = """
        CREATE TABLE members (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('individual', 'corporate')),
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            email_key TEXT NOT NULL UNIQUE,
            company_name TEXT,
            company_registration_number TEXT,
            created_at TEXT NOT NULL,
            CHECK ((kind = 'corporate') = (company_name IS NOT NULL))
        )
        """

    /// Access tokens, stored only as hashes, each a member's or a merchant's.
    package static let tokens = """
        CREATE TABLE tokens (
            hash TEXT PRIMARY KEY,
            member_id TEXT REFERENCES members(id),
            merchant_id TEXT REFERENCES merchants(id),
            created_at TEXT NOT NULL,
            revoked_at TEXT,
            CHECK ((member_id IS NULL) <> (merchant_id IS NULL))
        )
        """

    /// One row per revoked (issuer, serial); append-only in both stores.
    package static let revokedCoupons = """
        CREATE TABLE revoked_coupons (
            issuer_id TEXT NOT NULL,
            serial TEXT NOT NULL,
            merchant_id TEXT NOT NULL REFERENCES merchants(id),
            revoked_at TEXT NOT NULL,
            PRIMARY KEY (issuer_id, serial)
        )
        """

    /// The named CHECKs on an order's amounts (the last lines of `orders`' definition).
    package static let orderAmountChecks = """
        CONSTRAINT quantity_positive CHECK (quantity >= 1),
        CONSTRAINT list_not_negative CHECK (list_amount >= 0),
        CONSTRAINT discount_not_negative CHECK (discount_amount >= 0),
        CONSTRAINT discount_within_list CHECK (discount_amount <= list_amount),
        CONSTRAINT total_is_list_minus_discount CHECK (total_amount = list_amount - discount_amount)
        """
}
