public import CouponStore
public import Foundation
import PostgresNIO

extension PostgresStore: RateLimitRepository {
    /// Counted in the database, so that every instance counts against the same limit:
    /// fixed one-minute windows (Unix minute), one row per key and window, raised by
    /// `INSERT ... ON CONFLICT DO UPDATE SET used = used + 1 WHERE used < limit`, which
    /// returns no row once the window is full (the refused request is not counted). Racing
    /// requests queue on the row's lock, and each sees the count the one before committed.
    /// A burst can take up to twice the limit across a window's edge (the end of one
    /// window and the start of the next): the price of one statement per request.
    ///
    /// About one request in 64 also deletes the rows of windows that have ended.
    public func admit(key: String, perMinute: Int, at date: Date) async throws -> Int? {
        let now = Int64(date.timeIntervalSince1970.rounded(.down))
        let window = now - now % 60
        let limit = Int64(max(1, perMinute))
        let sweep = Int.random(in: 0..<64) == 0
        let admitted = try await withConnection { [logger] connection in
            let raised = try await connection.rows(
                """
                INSERT INTO rate_counts (key, window_start, used) VALUES (\(key), \(window), 1)
                ON CONFLICT (key, window_start) DO UPDATE SET used = rate_counts.used + 1
                WHERE rate_counts.used < \(limit)
                RETURNING used
                """, logger: logger)
            if sweep { try await connection.run("DELETE FROM rate_counts WHERE window_start < \(window)", logger: logger) }
            return !raised.isEmpty
        }
        return admitted ? nil : Int(max(1, window + 60 - now))
    }
}
