public import CouponStore
import CouponKit
public import Foundation
import GRDB

/// Migration "v4": what can be withdrawn. A reveal-key epoch can be retired
/// (`reveal_keys.retired_at`), a coupon serial revoked by its merchant
/// (`revoked_coupons`, one row per issuer and serial), and an (issuer, serial) is
/// uploaded at most once (checked in ``SQLiteStore/addCoupon(_:at:)``'s transaction; an
/// index keeps that lookup cheap, not unique because databases from before may already
/// hold a duplicate, which stays readable).
extension SQLiteStore {
    static func migrateToRevocation(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE reveal_keys ADD COLUMN retired_at TEXT;

                \(PortableSchema.revokedCoupons);
                CREATE TRIGGER revoked_coupons_no_update BEFORE UPDATE ON revoked_coupons
                BEGIN SELECT RAISE(ABORT, 'revocations are final'); END;
                CREATE TRIGGER revoked_coupons_no_delete BEFORE DELETE ON revoked_coupons
                BEGIN SELECT RAISE(ABORT, 'revocations are final'); END;

                CREATE INDEX coupons_issuer_serial ON coupons(issuer_id, serial);
                """)
    }
}

extension SQLiteStore: RevocationRepository {
    public func retireRevealKey(epoch: UInt32, at date: Date) async throws -> RetiredKey {
        try await writer.write { db in
            guard
                let row = try Row.fetchOne(
                    cached: db, sql: "SELECT retired_at FROM reveal_keys WHERE epoch = ?", arguments: [Int64(epoch)])
            else { throw StoreError.epochNotFound(epoch) }
            if let retiredAt: String = try RowReader(row, table: "reveal_keys").optional("retired_at") {
                return RetiredKey(epoch: epoch, retiredAt: retiredAt, already: true)
            }
            let newest = try Int64.fetchOne(cached: db, sql: "SELECT MAX(epoch) FROM reveal_keys") ?? 0
            guard Int64(epoch) < newest else { throw StoreError.newestEpoch(epoch) }
            let now = Timestamp.string(date)
            try db.executeCached(
                sql: "UPDATE reveal_keys SET retired_at = ? WHERE epoch = ?", arguments: [now, Int64(epoch)])
            return RetiredKey(epoch: epoch, retiredAt: now, already: false)
        }
    }

    public func revokeCoupon(serial: String, merchantId: String, at date: Date) async throws -> String? {
        try await writer.write { db in
            guard
                let issuerId = try String.fetchOne(
                    cached: db, sql: "SELECT issuer_id FROM merchants WHERE id = ?", arguments: [merchantId])
            else { return nil }
            if let revokedAt = try String.fetchOne(
                cached: db, sql: "SELECT revoked_at FROM revoked_coupons WHERE issuer_id = ? AND serial = ?",
                arguments: [issuerId, serial])
            {
                return revokedAt
            }
            let now = Timestamp.string(date)
            try db.executeCached(
                sql: "INSERT INTO revoked_coupons (issuer_id, serial, merchant_id, revoked_at) VALUES (?, ?, ?, ?)",
                arguments: [issuerId, serial, merchantId, now])
            return now
        }
    }

    public func rotateMerchantToken(merchantId: String, tokenHash: String, at date: Date) async throws {
        try await writer.write { db in
            guard try Bool.fetchOne(cached: db, sql: "SELECT 1 FROM merchants WHERE id = ?", arguments: [merchantId]) == true
            else { throw StoreError.merchantNotFound(merchantId) }
            let now = Timestamp.string(date)
            try db.executeCached(
                sql: "UPDATE tokens SET revoked_at = ? WHERE merchant_id = ? AND revoked_at IS NULL",
                arguments: [now, merchantId])
            try Self.insertToken(tokenHash, owner: .merchant, id: merchantId, at: now, in: db)
        }
    }

    /// In a settlement's transaction: refuses a revoked coupon.
    static func checkNotRevoked(_ db: Database, _ redemption: Settlement.Redemption) throws {
        if try Bool.fetchOne(
            cached: db, sql: "SELECT 1 FROM revoked_coupons WHERE issuer_id = ? AND serial = ?",
            arguments: [redemption.issuerId, redemption.serial]) == true
        {
            throw StoreError.couponRevoked(serial: redemption.serial)
        }
    }

    /// In an upload's transaction: refuses a second (issuer, serial).
    static func checkNewSerial(_ db: Database, issuerId: String, serial: String) throws {
        if try Bool.fetchOne(
            cached: db, sql: "SELECT 1 FROM coupons WHERE issuer_id = ? AND serial = ?", arguments: [issuerId, serial])
            == true
        {
            throw StoreError.couponExists(serial: serial)
        }
    }
}
