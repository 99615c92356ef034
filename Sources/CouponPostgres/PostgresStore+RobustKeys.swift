import CouponKit
public import CouponStore
public import Foundation
import Logging
import PostgresNIO
import RobustMark

extension PostgresStore: RobustKeyRepository {
    /// Every merchant without a key of its own (derivation v2) gets one, as generation
    /// max + 1: after schema version 4 gave the merchants of a migrated database the
    /// shared key. Run by `migrate(on:logger:)` inside its transaction and advisory lock,
    /// after the versions, so instances starting together make one key per merchant; a
    /// merchant added since has its key already and costs nothing.
    static func giveMerchantsOwnRobustKeys(on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.rows(
            """
            SELECT m.id, COALESCE(MAX(k.generation), 0) AS newest FROM merchants m
            LEFT JOIN merchant_robust_keys k ON k.merchant_id = m.id
            GROUP BY m.id HAVING COUNT(k.generation) FILTER (WHERE k.derivation = 2) = 0
            """, logger: logger)
        let now = Timestamp.string(Date())
        for row in rows {
            let reader = PostgresRowReader(row, table: "merchants")
            try await insertRobustKey(
                merchantId: try reader.text("id"), generation: try reader.int("newest") + 1, at: now, connection,
                logger: logger)
        }
    }

    /// A key of derivation v2 (a fresh random one unless given).
    static func insertRobustKey(
        merchantId: String, generation: Int, key: RobustKey = RobustKey(), at now: String,
        _ connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.run(
            """
            INSERT INTO merchant_robust_keys (merchant_id, generation, key, derivation, created_at)
            VALUES (\(merchantId), \(generation), \(Data(key.rawBytes)), \(CouponRobustIdentity.Derivation.v2.rawValue), \(now))
            """, logger: logger)
    }

    private static func keys(merchantId: String, _ connection: PostgresConnection, logger: Logger) async throws
        -> [MerchantRobustKey]
    {
        let rows = try await connection.rows(
            "SELECT * FROM merchant_robust_keys WHERE merchant_id = \(merchantId) ORDER BY generation DESC", logger: logger)
        return try rows.enumerated().map { index, row throws(StoreError) in
            try StoredRecord.robustKey(PostgresRowReader(row, table: "merchant_robust_keys"), current: index == 0)
        }
    }

    /// Locks the merchant's row (rotations and retirements of one merchant take turns).
    private static func lockMerchant(_ merchantId: String, _ connection: PostgresConnection, logger: Logger) async throws {
        guard !(try await connection.rows("SELECT 1 FROM merchants WHERE id = \(merchantId) FOR UPDATE", logger: logger)).isEmpty
        else { throw StoreError.merchantNotFound(merchantId) }
    }

    public func robustKeys(merchantId: String) async throws -> [MerchantRobustKey] {
        let logger = self.logger
        return try await transaction(snapshot: true) { connection in
            try await Self.keys(merchantId: merchantId, connection, logger: logger)
        }
    }

    public func readableRobustKeys(limit: Int) async throws -> [MerchantRobustKey] {
        let rows = try await rows(
            """
            SELECT * FROM merchant_robust_keys WHERE retired_at IS NULL
            ORDER BY merchant_id, generation LIMIT \(limit)
            """)
        return StoredRecord.markingCurrent(
            try rows.map { row throws(StoreError) in
                try StoredRecord.robustKey(PostgresRowReader(row, table: "merchant_robust_keys"), current: false)
            })
    }

    public func rotateRobustKey(merchantId: String, at date: Date) async throws -> MerchantRobustKey {
        let logger = self.logger
        return try await transaction { connection in
            try await Self.lockMerchant(merchantId, connection, logger: logger)
            let existing = try await Self.keys(merchantId: merchantId, connection, logger: logger)
            let limit = MerchantRobustKeys.readableLimit
            guard existing.filter(\.readable).count < limit else {
                throw StoreError.tooManyRobustKeys(merchantId: merchantId, limit: limit)
            }
            try await Self.insertRobustKey(
                merchantId: merchantId, generation: (existing.first?.generation ?? 0) + 1, at: Timestamp.string(date),
                connection, logger: logger)
            return try await Self.keys(merchantId: merchantId, connection, logger: logger)[0]
        }
    }

    public func retireRobustKeys(merchantId: String, at date: Date) async throws -> [MerchantRobustKey] {
        let logger = self.logger
        let now = Timestamp.string(date)
        return try await transaction { connection in
            try await Self.lockMerchant(merchantId, connection, logger: logger)
            let retiring = try await Self.keys(merchantId: merchantId, connection, logger: logger)
                .filter { !$0.current && $0.readable }
            for key in retiring {
                try await connection.run(
                    """
                    UPDATE merchant_robust_keys SET retired_at = \(now)
                    WHERE merchant_id = \(merchantId) AND generation = \(key.generation)
                    """, logger: logger)
            }
            return retiring.map { key in
                var key = key
                key.retiredAt = now
                return key
            }
        }
    }

    public func coupon(robustId: String, merchantId: String, generation: Int) async throws -> StoredCoupon? {
        try await rows(
            """
            SELECT c.* FROM coupons c JOIN products p ON p.id = c.product_id
            WHERE c.robust_id = \(robustId) AND c.robust_key_generation = \(generation) AND p.merchant_id = \(merchantId)
            ORDER BY c.seq DESC LIMIT 1
            """
        ).first.map { row throws(StoreError) in try StoredRecord.coupon(PostgresRowReader(row, table: "coupons")) }
    }

    public func coupon(issuerId: String, serial: String) async throws -> StoredCoupon? {
        try await rows(
            "SELECT * FROM coupons WHERE issuer_id = \(issuerId) AND serial = \(serial) ORDER BY seq DESC LIMIT 1"
        ).first.map { row throws(StoreError) in try StoredRecord.coupon(PostgresRowReader(row, table: "coupons")) }
    }
}
