@testable import CouponPostgres
@testable import CouponSQLite
import CouponStore
import GRDB
import PostgresNIO

/// A store of either kind with raw SQL access, as a tamperer (or a test) would have.
public struct RawStore: Sendable {
    public let repository: any CouponRepository

    public static func open(_ kind: StoreKind) async throws -> RawStore {
        switch kind {
        case .sqlite: RawStore(repository: try SQLiteStore(dataDirectory: makeTemporaryDirectory()))
        case .postgres: RawStore(repository: try await makePostgresStore())
        }
    }

    public func execute(_ sql: String) async throws {
        if let sqlite = repository as? SQLiteStore {
            try await sqlite.writer.write { db in try db.execute(sql: sql) }
        } else if let postgres = repository as? PostgresStore {
            _ = try await postgres.rows(PostgresQuery(unsafeSQL: sql))
        }
    }

    /// The first column of every row, as text.
    public func strings(_ sql: String) async throws -> [String] {
        if let sqlite = repository as? SQLiteStore {
            return try await sqlite.writer.read { db in try String.fetchAll(db, sql: sql) }
        } else if let postgres = repository as? PostgresStore {
            return try await postgres.rows(PostgresQuery(unsafeSQL: sql)).map { try $0.decode(String.self) }
        }
        return []
    }

    public func close() async {
        if let postgres = repository as? PostgresStore { await postgres.shutdown() }
    }
}
