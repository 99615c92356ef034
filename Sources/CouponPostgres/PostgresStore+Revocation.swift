public import CouponStore
public import Foundation
import Logging
import PostgresNIO

extension PostgresStore: RevocationRepository {
    public func retireRevealKey(epoch: UInt32, at date: Date) async throws -> RetiredKey {
        try await transaction { [logger] connection in
            try await Self.lockRevealKeys(connection, logger: logger)
            guard
                let row = try await connection.rows(
                    "SELECT retired_at FROM reveal_keys WHERE epoch = \(Int64(epoch))", logger: logger
                ).first
            else { throw StoreError.epochNotFound(epoch) }
            if let retiredAt = try PostgresRowReader(row, table: "reveal_keys").optionalText("retired_at") {
                return RetiredKey(epoch: epoch, retiredAt: retiredAt, already: true)
            }
            let newest: Int64 =
                try await connection.rows("SELECT COALESCE(MAX(epoch), 0) AS newest FROM reveal_keys", logger: logger)
                .first.map { try PostgresRowReader($0, table: "reveal_keys").integer("newest") } ?? 0
            guard Int64(epoch) < newest else { throw StoreError.newestEpoch(epoch) }
            let now = Timestamp.string(date)
            try await connection.run(
                "UPDATE reveal_keys SET retired_at = \(now) WHERE epoch = \(Int64(epoch))", logger: logger)
            return RetiredKey(epoch: epoch, retiredAt: now, already: false)
        }
    }

    public func revokeCoupon(serial: String, merchantId: String, at date: Date) async throws -> String? {
        try await transaction { [logger] connection in
            guard
                let row = try await connection.rows(
                    "SELECT issuer_id FROM merchants WHERE id = \(merchantId)", logger: logger
                ).first
            else { return nil }
            let issuerId = try PostgresRowReader(row, table: "merchants").text("issuer_id")
            // Take turns with the coupon's settlements (see settle(_:)): none of them
            // commits after this revocation without having seen it.
            try await Self.lockCounter(connection, issuerId: issuerId, serial: serial, logger: logger)
            let now = Timestamp.string(date)
            // A racing revocation of the same serial: the first one's time stands.
            let inserted = try await connection.rows(
                """
                INSERT INTO revoked_coupons (issuer_id, serial, merchant_id, revoked_at)
                VALUES (\(issuerId), \(serial), \(merchantId), \(now))
                ON CONFLICT (issuer_id, serial) DO NOTHING RETURNING revoked_at
                """, logger: logger)
            if !inserted.isEmpty { return now }
            guard
                let existing = try await connection.rows(
                    "SELECT revoked_at FROM revoked_coupons WHERE issuer_id = \(issuerId) AND serial = \(serial)",
                    logger: logger
                ).first
            else { throw StoreError.corruptRow(table: "revoked_coupons", column: "serial") }
            return try PostgresRowReader(existing, table: "revoked_coupons").text("revoked_at")
        }
    }

    public func rotateMerchantToken(merchantId: String, tokenHash: String, at date: Date) async throws {
        try await transaction { [logger] connection in
            // Two rotations of one merchant take turns, so exactly one new token survives
            // (NO KEY UPDATE: orders and products referencing the merchant are not held up).
            guard
                !(try await connection.rows(
                    "SELECT 1 FROM merchants WHERE id = \(merchantId) FOR NO KEY UPDATE", logger: logger)
                ).isEmpty
            else { throw StoreError.merchantNotFound(merchantId) }
            let now = Timestamp.string(date)
            try await connection.run(
                "UPDATE tokens SET revoked_at = \(now) WHERE merchant_id = \(merchantId) AND revoked_at IS NULL",
                logger: logger)
            try await Self.insertToken(tokenHash, owner: .merchant, id: merchantId, at: now, connection, logger: logger)
        }
    }
}
