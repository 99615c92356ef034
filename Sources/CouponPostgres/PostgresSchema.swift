import CouponStore

/// The PostgreSQL schema, version by version. Frozen once shipped: never edit a
/// version, append a new one. Each version is a list of single statements (postgres-nio
/// sends each through the extended protocol, which takes one statement at a time).
///
/// Version 1 is the SQLite store's schema as it stands after its "v4" (CouponStore.md),
/// written once for PostgreSQL: money is BIGINT minor units with an ISO 4217 code,
/// times are the same ISO 8601 UTC text (`Timestamp.string`), keys are BYTEA. What
/// SQLite needed triggers for beyond that is here too:
/// - CHECKs on amounts, kinds and key sizes;
/// - the balanced ledger: closing a ledger transaction (inserting its `ledger_transactions`
///   row) runs a trigger that refuses entries that do not sum to zero in one currency or
///   are not exactly the order's two legs, and no entry may join a closed transaction;
///   orders reference their payment and closed transaction, and ledger entries their
///   transaction, by foreign keys checked at COMMIT (DEFERRABLE INITIALLY DEFERRED), so
///   nothing unchecked can be committed;
/// - payments must match their order;
/// - `orders`, `payments`, `redemptions`, `ledger_entries`, `ledger_transactions` and
///   `revoked_coupons` refuse UPDATE, DELETE and TRUNCATE.
///
/// New in PostgreSQL: the counter rows `coupon_uses` and `coupon_member_uses`
/// (``PostgresStore``, "Concurrency across instances"), and a UNIQUE (issuer, serial)
/// on `coupons` (SQLite checks it in the upload's transaction, which a single writer
/// makes safe; several instances need the constraint).
///
/// Version 2 adds `settle_order(...)`, a settlement in one statement
/// (`PostgresSchema+Settlement.swift`); version 3 the robust layer (`robustLayer`);
/// version 4 a robust key per merchant (`merchantRobustKeys`); version 5 limits across
/// instances, unlisted coupons and the terms each order applied (`limitsAndListing`);
/// version 8 the web pages' sessions (`webSessions`) and version 9 the merchant
/// dashboard's indexes (`merchantDashboard`, both in `PostgresSchema+WebPages.swift`);
/// version 10 personal coupons' server keys and copies (`personalCopies`,
/// `PostgresSchema+PersonalCopies.swift`).
enum PostgresSchema {
    static let versions: [[String]] = [
        version1, version2, robustLayer, merchantRobustKeys, limitsAndListing, verifiedTerms, unifiedLimits,
        webSessions, merchantDashboard, personalCopies,
    ]

    static let version1: [String] = tables + balancedLedger + appendOnly

    /// Version 3, the robust layer, as the SQLite store's "v5": the server's one robust-layer key
    /// (no longer read since version 4 gave each merchant its own),
    /// `coupons.robust_id` (the identifier a coupon's robust layer carries; the coupons
    /// already stored get theirs from the same SHA-256 as `CouponRobustIdentity`, computed
    /// here in SQL) and `orders.coupon_layer` (NULL on the orders settled before it, which
    /// are append-only: with a coupon, read as `fragile`).
    static let robustLayer: [String] = [
        """
        CREATE TABLE robust_key (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            key BYTEA NOT NULL CHECK (octet_length(key) = 32),
            created_at TEXT NOT NULL
        )
        """,
        "ALTER TABLE coupons ADD COLUMN robust_id TEXT",
        """
        UPDATE coupons SET robust_id = encode(substring(sha256(
            convert_to('couponmark robust id v1', 'UTF8') || '\\x00'::bytea || convert_to(issuer_id, 'UTF8')
            || '\\x00'::bytea || convert_to(serial, 'UTF8')) FROM 1 FOR 8), 'hex')
        """,
        "ALTER TABLE coupons ALTER COLUMN robust_id SET NOT NULL",
        "CREATE INDEX coupons_robust ON coupons(robust_id)",
        "ALTER TABLE orders ADD COLUMN coupon_layer TEXT CHECK (coupon_layer IN ('fragile', 'robust'))",
    ]

    /// The tables and their indexes.
    static let tables: [String] = [
        """
        CREATE TABLE reveal_keys (
            epoch BIGINT PRIMARY KEY CHECK (epoch BETWEEN 1 AND 4294967295),
            key BYTEA NOT NULL CHECK (octet_length(key) = 32),
            created_at TEXT NOT NULL,
            retired_at TEXT
        )
        """,
        """
        CREATE TABLE merchants (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            issuer_id TEXT NOT NULL UNIQUE,
            public_key BYTEA NOT NULL CHECK (octet_length(public_key) = 32),
            created_at TEXT NOT NULL
        )
        """,
        PortableSchema.members,
        PortableSchema.tokens,
        "CREATE INDEX tokens_merchant ON tokens(merchant_id) WHERE merchant_id IS NOT NULL",
        """
        CREATE TABLE products (
            seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
            id TEXT PRIMARY KEY,
            merchant_id TEXT NOT NULL REFERENCES merchants(id),
            sku TEXT NOT NULL,
            name TEXT NOT NULL,
            description TEXT NOT NULL,
            price_amount BIGINT NOT NULL CHECK (price_amount >= 0),
            currency TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE coupons (
            seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
            id TEXT PRIMARY KEY,
            product_id TEXT NOT NULL REFERENCES products(id),
            issuer_id TEXT NOT NULL,
            serial TEXT NOT NULL,
            title TEXT NOT NULL,
            discount_kind TEXT NOT NULL CHECK (discount_kind IN ('rate', 'amount')),
            discount_value BIGINT NOT NULL,
            discount_currency TEXT,
            png BYTEA NOT NULL,
            created_at TEXT NOT NULL,
            CONSTRAINT coupons_issuer_serial UNIQUE (issuer_id, serial)
        )
        """,
        "CREATE INDEX coupons_product ON coupons(product_id, seq)",
        """
        CREATE TABLE ledger_transactions (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE orders (
            seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
            id TEXT PRIMARY KEY,
            member_id TEXT NOT NULL REFERENCES members(id),
            product_id TEXT NOT NULL REFERENCES products(id),
            merchant_id TEXT NOT NULL REFERENCES merchants(id),
            quantity BIGINT NOT NULL,
            list_amount BIGINT NOT NULL,
            discount_amount BIGINT NOT NULL,
            total_amount BIGINT NOT NULL,
            currency TEXT NOT NULL,
            coupon_serial TEXT,
            payment_id TEXT NOT NULL UNIQUE,
            transaction_id TEXT NOT NULL UNIQUE
                REFERENCES ledger_transactions(id) DEFERRABLE INITIALLY DEFERRED,
            created_at TEXT NOT NULL,
            \(PortableSchema.orderAmountChecks)
        )
        """,
        "CREATE INDEX orders_member ON orders(member_id, seq)",
        "CREATE INDEX orders_merchant ON orders(merchant_id, seq)",
        """
        CREATE TABLE payments (
            id TEXT PRIMARY KEY,
            order_id TEXT NOT NULL UNIQUE REFERENCES orders(id),
            transaction_id TEXT NOT NULL,
            amount BIGINT NOT NULL,
            currency TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('settled')),
            created_at TEXT NOT NULL
        )
        """,
        """
        ALTER TABLE orders ADD CONSTRAINT orders_payment_fkey
            FOREIGN KEY (payment_id) REFERENCES payments(id) DEFERRABLE INITIALLY DEFERRED
        """,
        """
        CREATE TABLE redemptions (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            issuer_id TEXT NOT NULL,
            serial TEXT NOT NULL,
            member_id TEXT NOT NULL REFERENCES members(id),
            order_id TEXT NOT NULL UNIQUE REFERENCES orders(id),
            created_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX redemptions_coupon ON redemptions(issuer_id, serial, member_id)",
        """
        CREATE TABLE coupon_uses (
            issuer_id TEXT NOT NULL,
            serial TEXT NOT NULL,
            used BIGINT NOT NULL DEFAULT 0 CHECK (used >= 0),
            PRIMARY KEY (issuer_id, serial)
        )
        """,
        """
        CREATE TABLE coupon_member_uses (
            issuer_id TEXT NOT NULL,
            serial TEXT NOT NULL,
            member_id TEXT NOT NULL REFERENCES members(id),
            used BIGINT NOT NULL DEFAULT 0 CHECK (used >= 0),
            PRIMARY KEY (issuer_id, serial, member_id)
        )
        """,
        """
        CREATE TABLE ledger_entries (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            transaction_id TEXT NOT NULL REFERENCES ledger_transactions(id) DEFERRABLE INITIALLY DEFERRED,
            account TEXT NOT NULL CHECK (account <> ''),
            amount BIGINT NOT NULL,
            currency TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (transaction_id, account)
        )
        """,
        """
        CREATE TABLE rejections (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            member_id TEXT NOT NULL REFERENCES members(id),
            at TEXT NOT NULL,
            code TEXT NOT NULL,
            coupon_serial TEXT,
            product_id TEXT
        )
        """,
        "CREATE INDEX rejections_member ON rejections(member_id, id)",
        """
        CREATE TABLE idempotency_keys (
            member_id TEXT NOT NULL REFERENCES members(id),
            key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            status INTEGER NOT NULL,
            body BYTEA NOT NULL,
            order_id TEXT REFERENCES orders(id) DEFERRABLE INITIALLY DEFERRED,
            created_at TEXT NOT NULL,
            PRIMARY KEY (member_id, key)
        )
        """,
        PortableSchema.revokedCoupons,
    ]

    /// The insert checks that keep the books balanced.
    static let balancedLedger: [String] =
        // Closing a transaction checks it.
        beforeInsert(
            on: "ledger_transactions", trigger: "ledger_transactions_balance", function: "ledger_transaction_balances",
            body: """
                DECLARE
                    entries BIGINT;
                    total NUMERIC;
                    currencies BIGINT;
                BEGIN
                    SELECT COUNT(*), SUM(amount), COUNT(DISTINCT currency) INTO entries, total, currencies
                        FROM ledger_entries WHERE transaction_id = NEW.id;
                    IF entries < 2 OR total <> 0 OR currencies <> 1 THEN
                        RAISE EXCEPTION 'ledger transaction does not balance' USING ERRCODE = 'check_violation';
                    END IF;
                    IF NOT EXISTS (
                        SELECT 1 FROM orders o WHERE o.transaction_id = NEW.id
                        AND entries = 2
                        AND EXISTS (SELECT 1 FROM ledger_entries e WHERE e.transaction_id = NEW.id
                            AND e.account = 'member:' || o.member_id AND e.amount = -o.total_amount AND e.currency = o.currency)
                        AND EXISTS (SELECT 1 FROM ledger_entries e WHERE e.transaction_id = NEW.id
                            AND e.account = 'merchant:' || o.merchant_id AND e.amount = o.total_amount AND e.currency = o.currency))
                    THEN
                        RAISE EXCEPTION 'ledger transaction does not match its order' USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                END
                """)
        // No entry joins a closed transaction.
        + beforeInsert(
            on: "ledger_entries", trigger: "ledger_entries_closed", function: "ledger_entry_open_transaction",
            body: """
                BEGIN
                    IF EXISTS (SELECT 1 FROM ledger_transactions WHERE id = NEW.transaction_id) THEN
                        RAISE EXCEPTION 'ledger transaction is closed' USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                END
                """)
        // A payment matches its order.
        + beforeInsert(
            on: "payments", trigger: "payments_match_order", function: "payment_matches_order",
            body: """
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM orders WHERE id = NEW.order_id AND payment_id = NEW.id
                        AND transaction_id = NEW.transaction_id AND total_amount = NEW.amount AND currency = NEW.currency)
                    THEN
                        RAISE EXCEPTION 'payment does not match its order' USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                END
                """)

    /// A plpgsql function `function` running `body` (its `[DECLARE …] BEGIN … END`) and
    /// the trigger `trigger` that calls it before each row inserted into `table`.
    static func beforeInsert(on table: String, trigger: String, function: String, body: String) -> [String] {
        [
            "CREATE FUNCTION \(function)() RETURNS trigger LANGUAGE plpgsql AS $$\n\(body)\n$$",
            "CREATE TRIGGER \(trigger) BEFORE INSERT ON \(table) FOR EACH ROW EXECUTE FUNCTION \(function)()",
        ]
    }

    /// `refuse_change()`, and `<table>_no_update`, `<table>_no_delete` and
    /// `<table>_no_truncate` calling it for each append-only table, with the SQLite
    /// store's messages.
    static let appendOnly: [String] = {
        let tables = [
            ("orders", "orders is append-only"), ("payments", "payments is append-only"),
            ("redemptions", "redemptions is append-only"), ("ledger_entries", "ledger_entries is append-only"),
            ("ledger_transactions", "ledger_transactions is append-only"), ("revoked_coupons", "revocations are final"),
        ]
        let refuseChange = """
            CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
            END
            $$
            """
        return [refuseChange] + tables.flatMap { table, message in
            [
                "CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table) FOR EACH ROW EXECUTE FUNCTION refuse_change('\(message)')",
                "CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table) FOR EACH ROW EXECUTE FUNCTION refuse_change('\(message)')",
                "CREATE TRIGGER \(table)_no_truncate BEFORE TRUNCATE ON \(table) FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('\(message)')",
            ]
        }
    }()
}
