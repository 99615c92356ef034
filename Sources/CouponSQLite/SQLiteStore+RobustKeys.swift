public import CouponStore
import CouponKit
public import Foundation
import GRDB
import RobustMark

extension SQLiteStore: RobustKeyRepository {
    /// Migration "v6", a robust key per merchant (`MerchantRobustKey`):
    /// - `merchant_robust_keys`, each merchant's keys by generation, with the derivation of
    ///   the identifiers recorded under them and when they were retired;
    /// - `coupons.robust_key_generation`, the key of its merchant a coupon's robust
    ///   identifier was recorded under (NULL: the coupon names nothing by its robust layer).
    ///
    /// When the database has the old shared key (`robust_key`, "v5"), every existing
    /// merchant gets it as generation 1 (derivation v1) and every existing coupon is
    /// recorded under it, with the v1 identifier "v5" stored: copies of them keep being
    /// read. Every existing merchant then gets its own new key as its current one. The
    /// `robust_key` table itself is no longer read.
    static func migrateToMerchantRobustKeys(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE merchant_robust_keys (
                    merchant_id TEXT NOT NULL REFERENCES merchants(id),
                    generation INTEGER NOT NULL CHECK (generation >= 1),
                    key BLOB NOT NULL CHECK (length(key) = 32),
                    derivation INTEGER NOT NULL CHECK (derivation IN (1, 2)),
                    created_at TEXT NOT NULL,
                    retired_at TEXT,
                    PRIMARY KEY (merchant_id, generation)
                );
                ALTER TABLE coupons ADD COLUMN robust_key_generation INTEGER CHECK (robust_key_generation >= 1);
                """)
        let shared = try Row.fetchOne(db, sql: "SELECT key, created_at FROM robust_key WHERE id = 1")
        let merchants = try String.fetchAll(db, sql: "SELECT id FROM merchants ORDER BY created_at, id")
        let now = Timestamp.string(Date())
        for merchant in merchants {
            var generation = 1
            if let shared {
                let key: Data = shared["key"]
                let createdAt: String = shared["created_at"]
                try insertRobustKey(db, merchantId: merchant, generation: 1, key: Array(key), derivation: .v1, at: createdAt)
                generation = 2
            }
            try insertRobustKey(
                db, merchantId: merchant, generation: generation, key: RobustKey().rawBytes, derivation: .v2, at: now)
        }
        if shared != nil {
            try db.execute(sql: "UPDATE coupons SET robust_key_generation = 1")
        }
    }

    /// A new merchant's first key (in `createMerchant(name:issuer:tokenHash:at:)`'s transaction).
    static func insertFirstRobustKey(_ db: Database, merchantId: String, key: RobustKey, at now: String) throws {
        try insertRobustKey(db, merchantId: merchantId, generation: 1, key: key.rawBytes, derivation: .v2, at: now)
    }

    private static func insertRobustKey(
        _ db: Database, merchantId: String, generation: Int, key: [UInt8], derivation: CouponRobustIdentity.Derivation,
        at now: String
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO merchant_robust_keys (merchant_id, generation, key, derivation, created_at)
                VALUES (?, ?, ?, ?, ?)
                """,
            arguments: [merchantId, generation, Data(key), derivation.rawValue, now])
    }

    private static func keys(_ db: Database, merchantId: String) throws -> [MerchantRobustKey] {
        let rows = try Row.fetchAll(
            cached: db, sql: "SELECT * FROM merchant_robust_keys WHERE merchant_id = ? ORDER BY generation DESC",
            arguments: [merchantId])
        return try rows.enumerated().map { index, row throws(StoreError) in
            try StoredRecord.robustKey(RowReader(row, table: "merchant_robust_keys"), current: index == 0)
        }
    }

    private static func requireMerchant(_ db: Database, _ merchantId: String) throws {
        guard try Bool.fetchOne(cached: db, sql: "SELECT 1 FROM merchants WHERE id = ?", arguments: [merchantId]) == true
        else { throw StoreError.merchantNotFound(merchantId) }
    }

    public func robustKeys(merchantId: String) async throws -> [MerchantRobustKey] {
        try await writer.read { db in try Self.keys(db, merchantId: merchantId) }
    }

    public func readableRobustKeys(limit: Int) async throws -> [MerchantRobustKey] {
        try await writer.read { db in
            let rows = try Row.fetchAll(
                cached: db,
                sql: """
                    SELECT * FROM merchant_robust_keys WHERE retired_at IS NULL
                    ORDER BY merchant_id, generation LIMIT ?
                    """,
                arguments: [limit])
            return StoredRecord.markingCurrent(
                try rows.map { row throws(StoreError) in
                    try StoredRecord.robustKey(RowReader(row, table: "merchant_robust_keys"), current: false)
                })
        }
    }

    public func rotateRobustKey(merchantId: String, at date: Date) async throws -> MerchantRobustKey {
        try await writer.write { db in
            try Self.requireMerchant(db, merchantId)
            let existing = try Self.keys(db, merchantId: merchantId)
            let limit = MerchantRobustKeys.readableLimit
            guard existing.filter(\.readable).count < limit else {
                throw StoreError.tooManyRobustKeys(merchantId: merchantId, limit: limit)
            }
            let generation = (existing.first?.generation ?? 0) + 1
            try Self.insertRobustKey(
                db, merchantId: merchantId, generation: generation, key: RobustKey().rawBytes, derivation: .v2,
                at: Timestamp.string(date))
            return try Self.keys(db, merchantId: merchantId)[0]
        }
    }

    public func retireRobustKeys(merchantId: String, at date: Date) async throws -> [MerchantRobustKey] {
        try await writer.write { db in
            try Self.requireMerchant(db, merchantId)
            let retiring = try Self.keys(db, merchantId: merchantId).filter { !$0.current && $0.readable }
            let now = Timestamp.string(date)
            for key in retiring {
                try db.execute(
                    sql: "UPDATE merchant_robust_keys SET retired_at = ? WHERE merchant_id = ? AND generation = ?",
                    arguments: [now, merchantId, key.generation])
            }
            return retiring.map { key in
                var key = key
                key.retiredAt = now
                return key
            }
        }
    }

    public func coupon(robustId: String, merchantId: String, generation: Int) async throws -> StoredCoupon? {
        try await writer.read { db in
            try Row.fetchOne(
                cached: db,
                sql: """
                    SELECT c.* FROM coupons c JOIN products p ON p.id = c.product_id
                    WHERE c.robust_id = ? AND c.robust_key_generation = ? AND p.merchant_id = ?
                    ORDER BY c.seq DESC LIMIT 1
                    """,
                arguments: [robustId, generation, merchantId]
            ).map { row throws(StoreError) in try StoredRecord.coupon(RowReader(row, table: "coupons")) }
        }
    }

    public func coupon(issuerId: String, serial: String) async throws -> StoredCoupon? {
        try await writer.read { db in
            try Row.fetchOne(
                cached: db, sql: "SELECT * FROM coupons WHERE issuer_id = ? AND serial = ? ORDER BY seq DESC LIMIT 1",
                arguments: [issuerId, serial]
            ).map { row throws(StoreError) in try StoredRecord.coupon(RowReader(row, table: "coupons")) }
        }
    }
}
