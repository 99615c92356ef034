public import CouponStore
import GRDB

extension SQLiteStore: HealthRepository {
    public var databaseKind: String { "sqlite" }

    /// `SELECT 1` on a pooled reader: the file is open and a read transaction can start.
    public func ping() async throws {
        _ = try await writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }
}

extension SQLiteStore {
    /// Closes every connection; every later call throws. Only a server that is done with
    /// the store calls it (and tests of a database gone away).
    public func closeConnections() throws {
        try writer.close()
    }
}
