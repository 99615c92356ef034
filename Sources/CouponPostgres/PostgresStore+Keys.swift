public import CouponKit
public import CouponStore
import Foundation
import Logging
import PostgresNIO

extension PostgresStore: KeyRepository, TokenRepository {
    public func keyRing() async throws -> KeyRing {
        try await transaction(snapshot: true) { [logger] connection in
            var retired: Set<UInt32> = []
            let reveal = try await connection.rows(
                "SELECT epoch, key, retired_at FROM reveal_keys ORDER BY epoch", logger: logger
            ).map { row in
                let (key, isRetired) = try StoredRecord.revealKey(PostgresRowReader(row, table: "reveal_keys"))
                if isRetired { retired.insert(key.epoch) }
                return key
            }
            let issuers = try await connection.rows(
                "SELECT public_key FROM merchants ORDER BY created_at, id", logger: logger
            ).map { row in try PostgresRowReader(row, table: "merchants").issuerPublicKey("public_key") }
            return KeyRing(revealKeys: reveal, issuers: issuers, retiredEpochs: retired)
        }
    }

    @discardableResult public func ensureRevealKey() async throws -> RevealKey {
        try await transaction { [logger] connection in
            try await Self.lockRevealKeys(connection, logger: logger)
            if let newest = try await Self.newestRevealKey(connection, logger: logger) { return newest }
            return try await Self.insertRevealKey(connection, epoch: 1, logger: logger)
        }
    }

    @discardableResult public func rotateRevealKey() async throws -> RevealKey {
        try await transaction { [logger] connection in
            try await Self.lockRevealKeys(connection, logger: logger)
            let epoch = (try await Self.newestRevealKey(connection, logger: logger)?.epoch ?? 0) + 1
            return try await Self.insertRevealKey(connection, epoch: epoch, logger: logger)
        }
    }

    /// Key changes (rare, admin-driven or at start) take turns across instances; readers
    /// of the ring are not held up (EXCLUSIVE mode lets plain SELECTs through).
    static func lockRevealKeys(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.run("LOCK TABLE reveal_keys IN EXCLUSIVE MODE", logger: logger)
    }

    private static func newestRevealKey(_ connection: PostgresConnection, logger: Logger) async throws -> RevealKey? {
        guard
            let row = try await connection.rows(
                "SELECT epoch, key FROM reveal_keys ORDER BY epoch DESC LIMIT 1", logger: logger
            ).first
        else { return nil }
        return try PostgresRowReader(row, table: "reveal_keys").revealKey(epoch: "epoch", key: "key")
    }

    private static func insertRevealKey(_ connection: PostgresConnection, epoch: UInt32, logger: Logger) async throws
        -> RevealKey
    {
        let key = RevealKey(epoch: epoch)
        try await connection.run(
            """
            INSERT INTO reveal_keys (epoch, key, created_at)
            VALUES (\(Int64(epoch)), \(Data(key.rawBytes)), \(Timestamp.string(Date())))
            """, logger: logger)
        return key
    }

    public func principal(tokenHash: String) async throws -> Principal? {
        guard
            let row = try await rows(OrderPathStatements.Principal(tokenHash: tokenHash)).first
        else { return nil }
        return try StoredRecord.principal(PostgresRowReader(row, table: "tokens"))
    }

    public func revokeToken(hash: String) async throws {
        _ = try await rows(
            "UPDATE tokens SET revoked_at = \(Timestamp.string(Date())) WHERE hash = \(hash) AND revoked_at IS NULL")
    }
}
