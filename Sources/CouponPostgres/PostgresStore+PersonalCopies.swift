import CouponKit
public import CouponStore
public import Foundation
import Logging
import PostgresNIO

/// The server's keys and the personal copies (`PostgresSchema.personalCopies`). What two
/// instances do at the same moment is decided by the unique indexes, as for emails and
/// uploads: the loser of an insert finds the row taken (`ON CONFLICT DO NOTHING`, which
/// waits for the winner's COMMIT) and reads the winner's row in its next statement (a new
/// snapshot at READ COMMITTED). Rotations take turns on a table lock, as the reveal keys'.
extension PostgresStore: PersonalCopyRepository {
    /// Reads the keys, and makes one only when none is current (an empty table; a table
    /// whose every key is retired, which no method here leaves, gets a new current one
    /// too): instances starting together both insert against `server_keys_current`, one
    /// row is made, and both return it.
    public func ensureServerKeys(at date: Date) async throws -> [StoredServerKey] {
        let now = Timestamp.string(date)
        return try await transaction { [logger] connection in
            let keys = try await Self.serverKeys(connection, logger: logger)
            if let first = keys.first, first.retiredAt == nil { return keys }
            let key = ServerKey()
            try await connection.run(
                """
                INSERT INTO server_keys (key_id, private_key, created_at) VALUES (\(key.id), \(Data(key.rawBytes)), \(now))
                ON CONFLICT ((retired_at IS NULL)) WHERE retired_at IS NULL DO NOTHING
                """, logger: logger)
            let made = try await Self.serverKeys(connection, logger: logger)
            guard made.first?.retiredAt == nil else { throw StoreError.corruptRow(table: "server_keys", column: "retired_at") }
            return made
        }
    }

    /// Locks `server_keys` (EXCLUSIVE mode: readers go on, writers wait), so that a
    /// second rotation retires the key the first one made rather than finding it in the
    /// way; then retires the current key at `date` and makes a new one created at `date`.
    public func rotateServerKey(at date: Date) async throws -> StoredServerKey {
        let now = Timestamp.string(date)
        return try await transaction { [logger] connection in
            try await connection.run("LOCK TABLE server_keys IN EXCLUSIVE MODE", logger: logger)
            try await connection.run(
                "UPDATE server_keys SET retired_at = \(now) WHERE retired_at IS NULL", logger: logger)
            let key = ServerKey()
            try await connection.run(
                "INSERT INTO server_keys (key_id, private_key, created_at) VALUES (\(key.id), \(Data(key.rawBytes)), \(now))",
                logger: logger)
            return StoredServerKey(key: key, createdAt: now, retiredAt: nil)
        }
    }

    public func issuedCopy(couponId: String, memberId: String) async throws -> IssuedCopy? {
        try await rows("SELECT * FROM coupon_copies WHERE coupon_id = \(couponId) AND member_id = \(memberId)")
            .first.map(Self.issuedCopy(row:))
    }

    /// `INSERT ... ON CONFLICT (coupon_id, member_id) DO NOTHING`, then the stored row, in
    /// one transaction: a racing request for the same copy waits for the first one's
    /// COMMIT, inserts nothing, and reads the first one's row. Any other conflict (a copy
    /// id already recorded under the same merchant and generation for another coupon or
    /// member) is an error, not a copy.
    public func recordCopy(_ copy: IssuedCopy) async throws -> IssuedCopy {
        try await transaction { [logger] connection in
            try await connection.run(
                """
                INSERT INTO coupon_copies (coupon_id, merchant_id, member_id, copy_id, robust_key_generation, issued_at,
                    binding)
                VALUES (\(copy.couponId), \(copy.merchantId), \(copy.memberId), \(copy.copyId), \(copy.robustKeyGeneration),
                    \(copy.issuedAt), \(Data(copy.binding)))
                ON CONFLICT (coupon_id, member_id) DO NOTHING
                """, logger: logger)
            guard
                let row = try await connection.rows(
                    "SELECT * FROM coupon_copies WHERE coupon_id = \(copy.couponId) AND member_id = \(copy.memberId)",
                    logger: logger
                ).first
            else { throw StoreError.corruptRow(table: "coupon_copies", column: "coupon_id") }
            return try Self.issuedCopy(row: row)
        }
    }

    public func issuedCopy(copyId: String, merchantId: String, generation: Int) async throws -> IssuedCopy? {
        try await rows(
            """
            SELECT * FROM coupon_copies
            WHERE merchant_id = \(merchantId) AND robust_key_generation = \(generation) AND copy_id = \(copyId)
            """
        ).first.map(Self.issuedCopy(row:))
    }

    /// One statement, as the SQLite store's: a copy counts as redeemed when its member
    /// has an order with the coupon, as `orders` records it (`coupon_issuer_id` and
    /// `coupon_serial`). A copy is one member's (the primary key), so counting copies
    /// counts distinct members.
    public func copyCounts(merchantId: String) async throws -> [String: CopyCounts] {
        let found = try await rows(
            """
            SELECT cc.coupon_id, COUNT(*) AS issued,
                SUM(CASE WHEN EXISTS (
                    SELECT 1 FROM orders o
                    WHERE o.member_id = cc.member_id AND o.coupon_issuer_id = c.issuer_id AND o.coupon_serial = c.serial
                ) THEN 1 ELSE 0 END) AS redeemed
            FROM coupon_copies cc JOIN coupons c ON c.id = cc.coupon_id
            WHERE cc.merchant_id = \(merchantId)
            GROUP BY cc.coupon_id
            """)
        var counts: [String: CopyCounts] = [:]
        for row in found {
            let reader = PostgresRowReader(row, table: "coupon_copies")
            counts[try reader.text("coupon_id")] = CopyCounts(
                issued: try reader.int("issued"), redeemed: try reader.int("redeemed"))
        }
        return counts
    }

    /// Every key: the current one first, then the retired ones, newest first (keys made
    /// at the same instant by id).
    private static func serverKeys(_ connection: PostgresConnection, logger: Logger) async throws -> [StoredServerKey] {
        try await connection.rows(
            "SELECT * FROM server_keys ORDER BY retired_at IS NOT NULL, created_at DESC, retired_at DESC, key_id",
            logger: logger
        ).map { row throws(StoreError) in try StoredRecord.serverKey(PostgresRowReader(row, table: "server_keys")) }
    }

    private static func issuedCopy(row: PostgresRow) throws(StoreError) -> IssuedCopy {
        try StoredRecord.issuedCopy(PostgresRowReader(row, table: "coupon_copies"))
    }
}
