public import Foundation

/// Counting requests against per-minute limits (sign-ups per address and in all,
/// robust-layer searches per member or merchant) where the store's data lives, so that a
/// limit holds for the whole deployment rather than for each server process: SQLite,
/// which one process owns, counts in that process's memory (`RateBuckets`: token
/// buckets); PostgreSQL, which any number of instances share, counts in the database
/// (fixed one-minute windows, one atomic `INSERT ... ON CONFLICT DO UPDATE` per request).
///
/// A key names what is counted and whose it is (`join:203.0.113.7`, `robust:mem_...`),
/// never a secret: keys are stored as they are.
public protocol RateLimitRepository: Sendable {
    /// Counts one request under `key` against `perMinute`: nil when it is admitted, else
    /// the whole seconds (at least 1) until the key may try again. A refused request is
    /// not counted.
    func admit(key: String, perMinute: Int, at date: Date) async throws -> Int?
}
