import CouponStore
import GRDB

extension SQLiteStore {
    /// Migration "v3", books that prove themselves: the database refuses a write that
    /// would unbalance the ledger or contradict an order, and the money tables become
    /// append-only.
    ///
    /// - `orders` is rebuilt (SQLite cannot add a CHECK to a table) with named CHECKs:
    ///   integer amounts, `quantity >= 1`, `list_amount >= 0`, `discount_amount >= 0`,
    ///   `discount_amount <= list_amount`, `total_amount = list_amount - discount_amount`;
    ///   and two foreign keys checked at COMMIT (`DEFERRABLE INITIALLY DEFERRED`, the one
    ///   deferred check SQLite has): `payment_id` must name a payment and `transaction_id`
    ///   a closed ledger transaction by the time the settlement commits.
    /// - `ledger_transactions` is new: one row closes a transaction. Its insert trigger
    ///   refuses to close one whose entries do not sum to zero in one currency, or that
    ///   are not exactly the order's two legs (`member:<id>` pays `-total`,
    ///   `merchant:<id>` receives `+total`, in the order's currency). Once closed, no
    ///   entry can join it.
    /// - `ledger_entries` is rebuilt with integer amounts, one entry per account and
    ///   transaction, and `transaction_id` referencing `ledger_transactions` at COMMIT,
    ///   so an entry whose transaction was never closed (and so never checked) cannot
    ///   be committed.
    /// - A payment must match its order (id, transaction, amount = total, currency).
    /// - `orders`, `payments`, `redemptions`, `ledger_entries` and `ledger_transactions`
    ///   refuse UPDATE and DELETE (`RAISE(ABORT, '<table> is append-only')`).
    ///
    /// Existing rows are copied as they are and every existing transaction is closed
    /// through the same trigger, so books that do not balance stop the migration (GRDB
    /// rolls it back; the database stays at "v2") rather than being carried over or
    /// repaired. GRDB runs the migration with foreign keys off and checks them all
    /// before it commits.
    static func migrateToLedgerConstraints(_ db: Database) throws {
        try db.execute(sql: tables)
        try db.execute(sql: balanceTrigger)
        try db.execute(
            sql: """
                INSERT INTO ledger_transactions (id, created_at)
                    SELECT transaction_id, MIN(created_at) FROM ledger_entries GROUP BY transaction_id ORDER BY MIN(id);
                """)
        try db.execute(sql: guards)
        for table in appendOnlyTables {
            for event in ["UPDATE", "DELETE"] {
                try db.execute(
                    sql: """
                        CREATE TRIGGER \(table)_no_\(event.lowercased()) BEFORE \(event) ON \(table)
                        BEGIN SELECT RAISE(ABORT, '\(table) is append-only'); END
                        """)
            }
        }
    }

    /// Each gets `<table>_no_update` and `<table>_no_delete`; `ledger_entries` had them
    /// since "v1" and is given them again, as rebuilding it dropped them.
    private static let appendOnlyTables = ["orders", "payments", "redemptions", "ledger_entries", "ledger_transactions"]

    /// The rebuilt `orders` and `ledger_entries`, and the new `ledger_transactions`.
    private static let tables = """
        CREATE TABLE ledger_transactions (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL
        );

        CREATE TABLE ledger_entries_v3 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            transaction_id TEXT NOT NULL REFERENCES ledger_transactions(id) DEFERRABLE INITIALLY DEFERRED,
            account TEXT NOT NULL CHECK (account <> ''),
            amount INTEGER NOT NULL CONSTRAINT amount_is_integer CHECK (typeof(amount) = 'integer'),
            currency TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (transaction_id, account)
        );
        INSERT INTO ledger_entries_v3 (id, transaction_id, account, amount, currency, created_at)
            SELECT id, transaction_id, account, amount, currency, created_at FROM ledger_entries;
        DROP TABLE ledger_entries;
        ALTER TABLE ledger_entries_v3 RENAME TO ledger_entries;

        CREATE TABLE orders_v3 (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            member_id TEXT NOT NULL REFERENCES members(id),
            product_id TEXT NOT NULL REFERENCES products(id),
            merchant_id TEXT NOT NULL REFERENCES merchants(id),
            quantity INTEGER NOT NULL,
            list_amount INTEGER NOT NULL,
            discount_amount INTEGER NOT NULL,
            total_amount INTEGER NOT NULL,
            currency TEXT NOT NULL,
            coupon_serial TEXT,
            payment_id TEXT NOT NULL UNIQUE REFERENCES payments(id) DEFERRABLE INITIALLY DEFERRED,
            transaction_id TEXT NOT NULL UNIQUE REFERENCES ledger_transactions(id) DEFERRABLE INITIALLY DEFERRED,
            created_at TEXT NOT NULL,
            CONSTRAINT amounts_are_integers CHECK (typeof(quantity) = 'integer' AND typeof(list_amount) = 'integer'
                AND typeof(discount_amount) = 'integer' AND typeof(total_amount) = 'integer'),
            \(PortableSchema.orderAmountChecks)
        );
        INSERT INTO orders_v3 (seq, id, member_id, product_id, merchant_id, quantity, list_amount, discount_amount,
                total_amount, currency, coupon_serial, payment_id, transaction_id, created_at)
            SELECT seq, id, member_id, product_id, merchant_id, quantity, list_amount, discount_amount,
                total_amount, currency, coupon_serial, payment_id, transaction_id, created_at FROM orders;
        DROP TABLE orders;
        ALTER TABLE orders_v3 RENAME TO orders;
        CREATE INDEX orders_member ON orders(member_id, seq);
        CREATE INDEX orders_merchant ON orders(merchant_id, seq);
        """

    /// Closing a transaction checks it.
    private static let balanceTrigger = """
        CREATE TRIGGER ledger_transactions_balance BEFORE INSERT ON ledger_transactions
        BEGIN
            SELECT RAISE(ABORT, 'ledger transaction does not balance')
            WHERE (SELECT COUNT(*) < 2 OR SUM(amount) <> 0 OR COUNT(DISTINCT currency) <> 1
                FROM ledger_entries WHERE transaction_id = NEW.id);
            SELECT RAISE(ABORT, 'ledger transaction does not match its order')
            WHERE NOT EXISTS (
                SELECT 1 FROM orders o WHERE o.transaction_id = NEW.id
                AND (SELECT COUNT(*) FROM ledger_entries WHERE transaction_id = NEW.id) = 2
                AND EXISTS (SELECT 1 FROM ledger_entries e WHERE e.transaction_id = NEW.id
                    AND e.account = 'member:' || o.member_id AND e.amount = -o.total_amount AND e.currency = o.currency)
                AND EXISTS (SELECT 1 FROM ledger_entries e WHERE e.transaction_id = NEW.id
                    AND e.account = 'merchant:' || o.merchant_id AND e.amount = o.total_amount AND e.currency = o.currency));
        END;
        """

    /// No entry joins a closed transaction; payments match their orders.
    private static let guards = """
        CREATE TRIGGER ledger_entries_closed BEFORE INSERT ON ledger_entries
        WHEN EXISTS (SELECT 1 FROM ledger_transactions WHERE id = NEW.transaction_id)
        BEGIN SELECT RAISE(ABORT, 'ledger transaction is closed'); END;

        CREATE TRIGGER payments_match_order BEFORE INSERT ON payments
        WHEN NOT EXISTS (SELECT 1 FROM orders WHERE id = NEW.order_id AND payment_id = NEW.id
            AND transaction_id = NEW.transaction_id AND total_amount = NEW.amount AND currency = NEW.currency)
        BEGIN SELECT RAISE(ABORT, 'payment does not match its order'); END;
        """
}
