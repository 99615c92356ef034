public import CouponStore
public import Foundation
import GRDB

/// Migration "v9": the web pages' sessions (``StoredSession``), one row per SHA-256 of a
/// session key. `key_hash` is held to 64 lowercase hex digits, so nothing but a hash can
/// be stored as a key; `expires_at` is whole Unix seconds (NULL: no expiry), indexed for
/// ``SQLiteStore/removeExpiredSessions(now:)``. Not append-only: sessions are replaced
/// and deleted.
extension SQLiteStore {
    static func migrateToWebSessions(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE web_sessions (
                    key_hash TEXT PRIMARY KEY CHECK (length(key_hash) = 64 AND key_hash NOT GLOB '*[^0-9a-f]*'),
                    value TEXT NOT NULL,
                    expires_at INTEGER
                );
                CREATE INDEX web_sessions_expiry ON web_sessions(expires_at);
                """)
    }
}

extension SQLiteStore: SessionRepository {
    /// One statement: an insert that replaces the row under the same hash only when that
    /// row has expired (`ON CONFLICT DO UPDATE ... WHERE`); nothing changed means an
    /// unexpired record holds the hash.
    public func createSession(_ session: StoredSession, now: Date) async throws {
        try await writer.write { db in
            try db.executeCached(
                sql: """
                    INSERT INTO web_sessions (key_hash, value, expires_at) VALUES (?, ?, ?)
                    ON CONFLICT (key_hash) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
                    WHERE web_sessions.expires_at <= ?
                    """,
                arguments: [
                    session.keyHash, session.value, session.expiresAt.map(StoredRecord.sessionSeconds),
                    StoredRecord.sessionSeconds(now),
                ])
            if db.changesCount == 0 { throw StoreError.sessionExists }
        }
    }

    public func setSession(keyHash: String, value: String, expiresAt: Date?) async throws {
        try await writer.write { db in
            try db.executeCached(
                sql: """
                    INSERT INTO web_sessions (key_hash, value, expires_at) VALUES (?, ?, ?)
                    ON CONFLICT (key_hash) DO UPDATE SET value = excluded.value,
                        expires_at = COALESCE(excluded.expires_at, web_sessions.expires_at)
                    """,
                arguments: [keyHash, value, expiresAt.map(StoredRecord.sessionSeconds)])
        }
    }

    public func session(keyHash: String, now: Date) async throws -> StoredSession? {
        try await writer.read { db in
            try Row.fetchOne(
                cached: db,
                sql: """
                    SELECT \(StoredRecord.sessionColumns) FROM web_sessions
                    WHERE key_hash = ? AND (expires_at IS NULL OR expires_at > ?)
                    """,
                arguments: [keyHash, StoredRecord.sessionSeconds(now)]
            ).map(Self.session(row:))
        }
    }

    public func removeSession(keyHash: String) async throws {
        try await writer.write { db in
            try db.executeCached(sql: "DELETE FROM web_sessions WHERE key_hash = ?", arguments: [keyHash])
        }
    }

    public func sessions(now: Date) async throws -> [StoredSession] {
        try await writer.read { db in
            try Row.fetchAll(
                cached: db,
                sql: """
                    SELECT \(StoredRecord.sessionColumns) FROM web_sessions
                    WHERE expires_at IS NULL OR expires_at > ? ORDER BY \(StoredRecord.sessionOrder)
                    """,
                arguments: [StoredRecord.sessionSeconds(now)]
            ).map(Self.session(row:))
        }
    }

    @discardableResult
    public func removeExpiredSessions(now: Date) async throws -> Int {
        try await writer.write { db in
            try db.executeCached(
                sql: "DELETE FROM web_sessions WHERE expires_at <= ?", arguments: [StoredRecord.sessionSeconds(now)])
            return db.changesCount
        }
    }

    private static func session(row: Row) throws(StoreError) -> StoredSession {
        try StoredRecord.session(RowReader(row, table: "web_sessions"))
    }
}
