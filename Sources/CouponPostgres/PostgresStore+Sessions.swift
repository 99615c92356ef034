public import CouponStore
public import Foundation
import PostgresNIO

/// The web pages' sessions (`PostgresSchema.webSessions`), each method one statement, so
/// instances sharing the database decide by the row itself: two instances creating under
/// one hash both reach the primary key, and exactly one inserts.
extension PostgresStore: SessionRepository {
    /// An insert that replaces the row under the same hash only when that row has expired
    /// (`ON CONFLICT DO UPDATE ... WHERE`); no row back means an unexpired record holds
    /// the hash.
    public func createSession(_ session: StoredSession, now: Date) async throws {
        let expiresAt = session.expiresAt.map(StoredRecord.sessionSeconds)
        let inserted = try await rows(
            """
            INSERT INTO web_sessions (key_hash, value, expires_at) VALUES (\(session.keyHash), \(session.value), \(expiresAt))
            ON CONFLICT (key_hash) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at
            WHERE web_sessions.expires_at <= \(StoredRecord.sessionSeconds(now))
            RETURNING key_hash
            """)
        guard !inserted.isEmpty else { throw StoreError.sessionExists }
    }

    public func setSession(keyHash: String, value: String, expiresAt: Date?) async throws {
        let seconds = expiresAt.map(StoredRecord.sessionSeconds)
        _ = try await rows(
            """
            INSERT INTO web_sessions (key_hash, value, expires_at) VALUES (\(keyHash), \(value), \(seconds))
            ON CONFLICT (key_hash) DO UPDATE SET value = EXCLUDED.value,
                expires_at = COALESCE(EXCLUDED.expires_at, web_sessions.expires_at)
            """)
    }

    public func session(keyHash: String, now: Date) async throws -> StoredSession? {
        try await rows(
            """
            SELECT \(unescaped: StoredRecord.sessionColumns) FROM web_sessions
            WHERE key_hash = \(keyHash) AND (expires_at IS NULL OR expires_at > \(StoredRecord.sessionSeconds(now)))
            """
        ).first.map(Self.session(row:))
    }

    public func removeSession(keyHash: String) async throws {
        _ = try await rows("DELETE FROM web_sessions WHERE key_hash = \(keyHash)")
    }

    public func sessions(now: Date) async throws -> [StoredSession] {
        try await rows(
            """
            SELECT \(unescaped: StoredRecord.sessionColumns) FROM web_sessions
            WHERE expires_at IS NULL OR expires_at > \(StoredRecord.sessionSeconds(now))
            ORDER BY \(unescaped: StoredRecord.sessionOrder)
            """
        ).map(Self.session(row:))
    }

    /// Counted by the statement itself (one row back, however many it deleted).
    @discardableResult
    public func removeExpiredSessions(now: Date) async throws -> Int {
        let counted = try await rows(
            """
            WITH removed AS (DELETE FROM web_sessions WHERE expires_at <= \(StoredRecord.sessionSeconds(now)) RETURNING 1)
            SELECT COUNT(*) AS removed FROM removed
            """)
        return try counted.first.map { try PostgresRowReader($0, table: "web_sessions").int("removed") } ?? 0
    }

    private static func session(row: PostgresRow) throws(StoreError) -> StoredSession {
        try StoredRecord.session(PostgresRowReader(row, table: "web_sessions"))
    }
}
