public import CouponStore
public import CouponKit
import Foundation
import GRDB

extension SQLiteStore: KeyRepository, TokenRepository {
    public func keyRing() async throws -> KeyRing {
        try await writer.read { db in
            var retired: Set<UInt32> = []
            let reveal = try Row.fetchAll(cached: db, sql: "SELECT epoch, key, retired_at FROM reveal_keys ORDER BY epoch")
                .map { row in
                    let (key, isRetired) = try StoredRecord.revealKey(RowReader(row, table: "reveal_keys"))
                    if isRetired { retired.insert(key.epoch) }
                    return key
                }
            let issuers = try Row.fetchAll(cached: db, sql: "SELECT public_key FROM merchants ORDER BY created_at, id").map { row in
                try RowReader(row, table: "merchants").issuerPublicKey("public_key")
            }
            return KeyRing(revealKeys: reveal, issuers: issuers, retiredEpochs: retired)
        }
    }

    @discardableResult public func ensureRevealKey() async throws -> RevealKey {
        try await writer.write { db in
            if let newest = try Self.newestRevealKey(db) { return newest }
            return try Self.insertRevealKey(db, epoch: 1)
        }
    }

    @discardableResult public func rotateRevealKey() async throws -> RevealKey {
        try await writer.write { db in
            let epoch = (try Self.newestRevealKey(db)?.epoch ?? 0) + 1
            return try Self.insertRevealKey(db, epoch: epoch)
        }
    }

    private static func newestRevealKey(_ db: Database) throws -> RevealKey? {
        guard let row = try Row.fetchOne(cached: db, sql: "SELECT epoch, key FROM reveal_keys ORDER BY epoch DESC LIMIT 1")
        else { return nil }
        return try RowReader(row, table: "reveal_keys").revealKey(epoch: "epoch", key: "key")
    }

    private static func insertRevealKey(_ db: Database, epoch: UInt32) throws -> RevealKey {
        let key = RevealKey(epoch: epoch)
        try db.executeCached(
            sql: "INSERT INTO reveal_keys (epoch, key, created_at) VALUES (?, ?, ?)",
            arguments: [Int64(epoch), Data(key.rawBytes), Timestamp.string(Date())])
        return key
    }

    public func principal(tokenHash: String) async throws -> Principal? {
        try await writer.read { db in
            guard
                let row = try Row.fetchOne(
                    cached: db, sql: "SELECT member_id, merchant_id FROM tokens WHERE hash = ? AND revoked_at IS NULL",
                    arguments: [tokenHash])
            else { return nil }
            return try StoredRecord.principal(RowReader(row, table: "tokens"))
        }
    }

    public func revokeToken(hash: String) async throws {
        try await writer.write { db in
            try db.executeCached(
                sql: "UPDATE tokens SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL",
                arguments: [Timestamp.string(Date()), hash])
        }
    }
}
