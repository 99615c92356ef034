import CouponStore
import GRDB

extension SQLiteStore {
    /// Frozen migrations: never edit one that has shipped; add "v2", "v3", ... instead.
    /// Money is integer minor units plus an ISO 4217 code; times are ISO 8601 UTC text.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE reveal_keys (
                        epoch INTEGER PRIMARY KEY CHECK (epoch >= 1),
                        key BLOB NOT NULL CHECK (length(key) = 32),
                        created_at TEXT NOT NULL
                    );

                    CREATE TABLE merchants (
                        id TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        issuer_id TEXT NOT NULL UNIQUE,
                        public_key TEXT NOT NULL,
                        created_at TEXT NOT NULL
                    );

                    \(PortableSchema.members);

                    \(PortableSchema.tokens);

                    CREATE TABLE products (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        merchant_id TEXT NOT NULL REFERENCES merchants(id),
                        sku TEXT NOT NULL,
                        name TEXT NOT NULL,
                        description TEXT NOT NULL,
                        price_amount INTEGER NOT NULL CHECK (price_amount >= 0),
                        currency TEXT NOT NULL,
                        created_at TEXT NOT NULL
                    );

                    CREATE TABLE coupons (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        product_id TEXT NOT NULL REFERENCES products(id),
                        issuer_id TEXT NOT NULL,
                        serial TEXT NOT NULL,
                        title TEXT NOT NULL,
                        discount_kind TEXT NOT NULL CHECK (discount_kind IN ('rate', 'amount')),
                        discount_value INTEGER NOT NULL,
                        discount_currency TEXT,
                        png BLOB NOT NULL,
                        created_at TEXT NOT NULL
                    );
                    CREATE INDEX coupons_product ON coupons(product_id, seq);

                    CREATE TABLE orders (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        member_id TEXT NOT NULL REFERENCES members(id),
                        product_id TEXT NOT NULL REFERENCES products(id),
                        merchant_id TEXT NOT NULL REFERENCES merchants(id),
                        quantity INTEGER NOT NULL CHECK (quantity >= 1),
                        list_amount INTEGER NOT NULL,
                        discount_amount INTEGER NOT NULL,
                        total_amount INTEGER NOT NULL,
                        currency TEXT NOT NULL,
                        coupon_serial TEXT,
                        payment_id TEXT NOT NULL UNIQUE,
                        transaction_id TEXT NOT NULL UNIQUE,
                        created_at TEXT NOT NULL,
                        CHECK (total_amount = list_amount - discount_amount)
                    );
                    CREATE INDEX orders_member ON orders(member_id, seq);
                    CREATE INDEX orders_merchant ON orders(merchant_id, seq);

                    CREATE TABLE payments (
                        id TEXT PRIMARY KEY,
                        order_id TEXT NOT NULL UNIQUE REFERENCES orders(id),
                        transaction_id TEXT NOT NULL,
                        amount INTEGER NOT NULL,
                        currency TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('settled')),
                        created_at TEXT NOT NULL
                    );

                    CREATE TABLE redemptions (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        issuer_id TEXT NOT NULL,
                        serial TEXT NOT NULL,
                        member_id TEXT NOT NULL REFERENCES members(id),
                        order_id TEXT NOT NULL UNIQUE REFERENCES orders(id),
                        created_at TEXT NOT NULL
                    );
                    CREATE INDEX redemptions_coupon ON redemptions(issuer_id, serial, member_id);

                    CREATE TABLE ledger_entries (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        transaction_id TEXT NOT NULL,
                        account TEXT NOT NULL,
                        amount INTEGER NOT NULL,
                        currency TEXT NOT NULL,
                        created_at TEXT NOT NULL
                    );
                    CREATE INDEX ledger_entries_transaction ON ledger_entries(transaction_id);
                    CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
                    BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;
                    CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
                    BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;

                    CREATE TABLE rejections (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        member_id TEXT NOT NULL REFERENCES members(id),
                        at TEXT NOT NULL,
                        code TEXT NOT NULL,
                        coupon_serial TEXT,
                        product_id TEXT
                    );
                    CREATE INDEX rejections_member ON rejections(member_id, id);

                    CREATE TABLE idempotency_keys (
                        member_id TEXT NOT NULL REFERENCES members(id),
                        key TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        status INTEGER NOT NULL,
                        body BLOB NOT NULL,
                        order_id TEXT REFERENCES orders(id),
                        created_at TEXT NOT NULL,
                        PRIMARY KEY (member_id, key)
                    );
                    """)
        }
        migrator.registerMigration("v2", migrate: migrateMerchantKeysToBlobs)
        migrator.registerMigration("v3", migrate: migrateToLedgerConstraints)
        migrator.registerMigration("v4", migrate: migrateToRevocation)
        migrator.registerMigration("v5", migrate: migrateToRobustLayer)
        migrator.registerMigration("v6", migrate: migrateToMerchantRobustKeys)
        migrator.registerMigration("v7", migrate: migrateToListing)
        migrator.registerMigration("v8", migrate: migrateToVerifiedTerms)
        migrator.registerMigration("v9", migrate: migrateToWebSessions)
        migrator.registerMigration("v10", migrate: migrateToMerchantDashboard)
        migrator.registerMigration("v11", migrate: migrateToPersonalCopies)
        return migrator
    }
}
