public import CouponStore
import CouponKit
public import Foundation
import GRDB

extension SQLiteStore {
    /// Migration "v11", personal coupons (``PersonalCopyRepository``):
    /// - `server_keys`, the server's Ed25519 signing keys (``StoredServerKey``) under their
    ///   id (`srv_` and 16 hex digits), the private key as its 32 raw bytes; the current
    ///   key is the one with no `retired_at`, and the partial unique index
    ///   `server_keys_current` allows one such row at most;
    /// - `coupon_copies`, the copies handed to members (``IssuedCopy``): one per coupon and
    ///   member (the primary key), and one per robust identifier under each of a
    ///   merchant's robust keys (UNIQUE (merchant, generation, copy id)), which is what a
    ///   degraded copy is looked up by.
    static func migrateToPersonalCopies(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE server_keys (
                    key_id TEXT PRIMARY KEY CHECK (length(key_id) = 20 AND key_id GLOB 'srv_*'
                        AND substr(key_id, 5) NOT GLOB '*[^0-9a-f]*'),
                    private_key BLOB NOT NULL CHECK (length(private_key) = 32),
                    created_at TEXT NOT NULL,
                    retired_at TEXT
                );
                CREATE UNIQUE INDEX server_keys_current ON server_keys ((retired_at IS NULL)) WHERE retired_at IS NULL;

                CREATE TABLE coupon_copies (
                    coupon_id TEXT NOT NULL REFERENCES coupons(id),
                    merchant_id TEXT NOT NULL REFERENCES merchants(id),
                    member_id TEXT NOT NULL REFERENCES members(id),
                    copy_id TEXT NOT NULL CHECK (length(copy_id) = 16 AND copy_id NOT GLOB '*[^0-9a-f]*'),
                    robust_key_generation INTEGER NOT NULL CHECK (robust_key_generation >= 1),
                    issued_at TEXT NOT NULL,
                    binding BLOB NOT NULL,
                    PRIMARY KEY (coupon_id, member_id),
                    UNIQUE (merchant_id, robust_key_generation, copy_id)
                );
                """)
    }
}

/// The server's keys and the personal copies (migration "v11"). Every method is one
/// transaction; the writes are IMMEDIATE transactions (GRDB's), so writers take turns,
/// other processes on the file included, and each decides on what the one before committed.
extension SQLiteStore: PersonalCopyRepository {
    /// Reads the keys, and makes one only when none is current (an empty table; a table
    /// whose every key is retired, which no method here leaves, gets a new current one
    /// too), with `INSERT ... ON CONFLICT DO NOTHING` on `server_keys_current`.
    public func ensureServerKeys(at date: Date) async throws -> [StoredServerKey] {
        try await writer.write { db in
            let keys = try Self.serverKeys(db)
            if let first = keys.first, first.retiredAt == nil { return keys }
            try Self.insertServerKey(db, ServerKey(), at: Timestamp.string(date), unlessOneIsCurrent: true)
            let made = try Self.serverKeys(db)
            guard made.first?.retiredAt == nil else { throw StoreError.corruptRow(table: "server_keys", column: "retired_at") }
            return made
        }
    }

    /// Retires the current key (when there is one) at `date` and makes a new one
    /// created at `date`.
    public func rotateServerKey(at date: Date) async throws -> StoredServerKey {
        let now = Timestamp.string(date)
        return try await writer.write { db in
            try db.execute(sql: "UPDATE server_keys SET retired_at = ? WHERE retired_at IS NULL", arguments: [now])
            let key = ServerKey()
            try Self.insertServerKey(db, key, at: now, unlessOneIsCurrent: false)
            return StoredServerKey(key: key, createdAt: now, retiredAt: nil)
        }
    }

    public func issuedCopy(couponId: String, memberId: String) async throws -> IssuedCopy? {
        try await writer.read { db in try Self.issuedCopy(db, couponId: couponId, memberId: memberId) }
    }

    /// `INSERT ... ON CONFLICT (coupon_id, member_id) DO NOTHING`, then the stored row, in
    /// one transaction. Any other conflict (a copy id already recorded under the same
    /// merchant and generation for another coupon or member) is an error, not a copy.
    public func recordCopy(_ copy: IssuedCopy) async throws -> IssuedCopy {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO coupon_copies (coupon_id, merchant_id, member_id, copy_id, robust_key_generation,
                        issued_at, binding)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (coupon_id, member_id) DO NOTHING
                    """,
                arguments: [
                    copy.couponId, copy.merchantId, copy.memberId, copy.copyId, copy.robustKeyGeneration, copy.issuedAt,
                    Data(copy.binding),
                ])
            guard let stored = try Self.issuedCopy(db, couponId: copy.couponId, memberId: copy.memberId) else {
                throw StoreError.corruptRow(table: "coupon_copies", column: "coupon_id")
            }
            return stored
        }
    }

    public func issuedCopy(copyId: String, merchantId: String, generation: Int) async throws -> IssuedCopy? {
        try await writer.read { db in
            try Row.fetchOne(
                cached: db,
                sql: "SELECT * FROM coupon_copies WHERE merchant_id = ? AND robust_key_generation = ? AND copy_id = ?",
                arguments: [merchantId, generation, copyId]
            ).map(Self.issuedCopy(row:))
        }
    }

    /// One statement over the merchant's copies (found by the unique index led by
    /// `merchant_id`): a copy counts as redeemed when its member has an order with the
    /// coupon, as `orders` records it (`coupon_issuer_id` and `coupon_serial`, the
    /// coupon's issuer and serial). A copy is one member's (the primary key), so
    /// counting copies counts distinct members.
    public func copyCounts(merchantId: String) async throws -> [String: CopyCounts] {
        try await writer.read { db in
            let rows = try Row.fetchAll(
                cached: db,
                sql: """
                    SELECT cc.coupon_id, COUNT(*) AS issued,
                        SUM(CASE WHEN EXISTS (
                            SELECT 1 FROM orders o
                            WHERE o.member_id = cc.member_id AND o.coupon_issuer_id = c.issuer_id
                                AND o.coupon_serial = c.serial
                        ) THEN 1 ELSE 0 END) AS redeemed
                    FROM coupon_copies cc JOIN coupons c ON c.id = cc.coupon_id
                    WHERE cc.merchant_id = ?
                    GROUP BY cc.coupon_id
                    """,
                arguments: [merchantId])
            var counts: [String: CopyCounts] = [:]
            for row in rows {
                let reader = RowReader(row, table: "coupon_copies")
                counts[try reader.text("coupon_id")] = CopyCounts(
                    issued: try reader.int("issued"), redeemed: try reader.int("redeemed"))
            }
            return counts
        }
    }

    /// Every key: the current one first, then the retired ones, newest first (keys made
    /// at the same instant by id).
    private static func serverKeys(_ db: Database) throws -> [StoredServerKey] {
        try Row.fetchAll(
            cached: db,
            sql: "SELECT * FROM server_keys ORDER BY retired_at IS NOT NULL, created_at DESC, retired_at DESC, key_id"
        ).map { row throws(StoreError) in try StoredRecord.serverKey(RowReader(row, table: "server_keys")) }
    }

    /// Inserts `key` as the current key. When one already is current: nothing is written
    /// with `unlessOneIsCurrent` (`ON CONFLICT` on `server_keys_current`), otherwise the
    /// unique index refuses the insert.
    private static func insertServerKey(_ db: Database, _ key: ServerKey, at now: String, unlessOneIsCurrent: Bool) throws {
        let arguments: StatementArguments = [key.id, Data(key.rawBytes), now]
        if unlessOneIsCurrent {
            try db.execute(
                sql: """
                    INSERT INTO server_keys (key_id, private_key, created_at) VALUES (?, ?, ?)
                    ON CONFLICT ((retired_at IS NULL)) WHERE retired_at IS NULL DO NOTHING
                    """,
                arguments: arguments)
        } else {
            try db.execute(
                sql: "INSERT INTO server_keys (key_id, private_key, created_at) VALUES (?, ?, ?)", arguments: arguments)
        }
    }

    private static func issuedCopy(_ db: Database, couponId: String, memberId: String) throws -> IssuedCopy? {
        try Row.fetchOne(
            cached: db, sql: "SELECT * FROM coupon_copies WHERE coupon_id = ? AND member_id = ?",
            arguments: [couponId, memberId]
        ).map(Self.issuedCopy(row:))
    }

    private static func issuedCopy(row: Row) throws(StoreError) -> IssuedCopy {
        try StoredRecord.issuedCopy(RowReader(row, table: "coupon_copies"))
    }
}
