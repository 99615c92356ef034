import CouponStore
import CouponKit
import Foundation
import GRDB

extension SQLiteStore {
    /// Migration "v5", the robust layer:
    /// - `robust_key`, the server's one robust-layer key (one row, id 1; no longer read
    ///   since "v6" gave each merchant its own keys, `migrateToMerchantRobustKeys(_:)`);
    /// - `coupons.robust_id`, the identifier a coupon's robust layer carries (16 hex
    ///   digits, `StoredCoupon/robustId`), filled in for the coupons already stored, and
    ///   an index to look a degraded copy up by it;
    /// - `orders.coupon_layer`, which layer named the order's coupon (`fragile` or
    ///   `robust`); orders settled before it keep NULL (the table is append-only), read
    ///   as `fragile` when they have a coupon.
    static func migrateToRobustLayer(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE robust_key (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    key BLOB NOT NULL CHECK (length(key) = 32),
                    created_at TEXT NOT NULL
                );
                ALTER TABLE coupons ADD COLUMN robust_id TEXT;
                ALTER TABLE orders ADD COLUMN coupon_layer TEXT CHECK (coupon_layer IN ('fragile', 'robust'));
                """)
        let coupons = try Row.fetchAll(db, sql: "SELECT seq, issuer_id, serial FROM coupons")
        for row in coupons {
            let reader = RowReader(row, table: "coupons")
            try db.execute(
                sql: "UPDATE coupons SET robust_id = ? WHERE seq = ?",
                arguments: [
                    CouponRobustIdentity.hex(issuerId: try reader.text("issuer_id"), serial: try reader.text("serial")),
                    try reader.integer("seq"),
                ])
        }
        try db.execute(sql: "CREATE INDEX coupons_robust ON coupons(robust_id)")
    }
}
