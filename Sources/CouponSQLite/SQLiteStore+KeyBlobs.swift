import CouponStore
import CouponKit
import Foundation
import GRDB

extension SQLiteStore {
    /// Migration "v2": merchants' issuer public keys become 32-byte BLOBs instead of
    /// base64 TEXT, like the reveal keys (a BLOB of 32 bytes since "v1"). SQLite cannot
    /// change a column's type, so the table is rebuilt: every row is read, its key
    /// decoded and checked, and written to a new table that then takes the old one's
    /// name. A key that does not decode to 32 bytes stops the migration with
    /// `StoreError/corruptRow(table:column:)`; nothing is dropped silently. GRDB runs
    /// the migration in one transaction with foreign keys checked at its end, so
    /// tokens, products and orders still reference `merchants(id)` afterwards.
    static func migrateMerchantKeysToBlobs(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE merchants_v2 (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    issuer_id TEXT NOT NULL UNIQUE,
                    public_key BLOB NOT NULL CHECK (typeof(public_key) = 'blob' AND length(public_key) = 32),
                    created_at TEXT NOT NULL
                )
                """)
        let rows = try Row.fetchAll(db, sql: "SELECT id, name, issuer_id, public_key, created_at FROM merchants")
        for row in rows {
            let reader = RowReader(row, table: "merchants")
            let text: String = try reader.value("public_key")
            guard let raw = KeyText.raw(text) else { throw reader.corrupt("public_key") }
            try db.execute(
                sql: "INSERT INTO merchants_v2 (id, name, issuer_id, public_key, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    try reader.value("id") as String, try reader.value("name") as String,
                    try reader.value("issuer_id") as String, raw, try reader.value("created_at") as String,
                ])
        }
        try db.execute(sql: "DROP TABLE merchants")
        try db.execute(sql: "ALTER TABLE merchants_v2 RENAME TO merchants")
    }
}
