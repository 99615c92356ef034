public import Foundation

/// One web session record: hummingbird-auth's session data, stored under the SHA-256 of its key (the session cookie's value never reaches the database).
///
/// Both stores keep it in `web_sessions(key_hash, value, expires_at)`: `key_hash` the
/// primary key (64 lowercase hex digits, which the table's CHECK holds it to, so nothing
/// else can be stored there), `value` the JSON text as given, and `expires_at` whole Unix
/// seconds (SQLite INTEGER, PostgreSQL BIGINT; NULL for no expiry), indexed for the
/// sweep of expired records. An expiry is stored rounded down to its whole second
/// (`StoredRecord.sessionSeconds`): a session never outlives what the server asked,
/// and reads back with that second as its ``expiresAt``.
public struct StoredSession: Sendable, Equatable {
    /// SHA-256 hex of the persist key (64 lowercase hex chars).
    public var keyHash: String
    /// The session's JSON text, as the server encoded it.
    public var value: String
    /// When it stops being valid; nil never (the server always sets one).
    public var expiresAt: Date?

    public init(keyHash: String, value: String, expiresAt: Date?) {
        (self.keyHash, self.value, self.expiresAt) = (keyHash, value, expiresAt)
    }
}

/// The web pages' sessions (hummingbird-auth's `PersistDriver` stores them through it).
/// Only the SHA-256 of a session key is ever stored or looked up (``StoredSession``), as
/// for bearer tokens (``AccessToken``): a copy of the database opens no session.
///
/// A record has expired at `now` when its expiry is at or before `now`; an expired record
/// is never returned, and is replaced by ``createSession(_:now:)`` or deleted by
/// ``removeExpiredSessions(now:)``. Every method is one statement or transaction.
public protocol SessionRepository: Sendable {
    /// Inserts; throws `StoreError.sessionExists` when an unexpired record has this hash (an expired one is replaced).
    func createSession(_ session: StoredSession, now: Date) async throws
    /// Inserts or replaces the value; `expiresAt` nil keeps the stored expiry (nil for a new row).
    func setSession(keyHash: String, value: String, expiresAt: Date?) async throws
    /// The record if it exists and has not expired at `now`.
    func session(keyHash: String, now: Date) async throws -> StoredSession?
    /// Deletes it (nothing when absent).
    func removeSession(keyHash: String) async throws
    /// Every unexpired record at `now`, soonest expiry first (for the admin command).
    func sessions(now: Date) async throws -> [StoredSession]
    /// Deletes every record expired at `now`; returns how many.
    @discardableResult func removeExpiredSessions(now: Date) async throws -> Int
}
