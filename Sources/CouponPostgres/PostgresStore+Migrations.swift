import CouponStore
import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// The key of the advisory lock that migrations hold (`pg_advisory_xact_lock`): any
    /// 64-bit constant that no other application on the database uses ("CMARKMIG").
    static let migrationLock: Int64 = 0x434D_4152_4B4D_4947

    /// The newest schema version this build knows (`PostgresSchema/versions`).
    public static var schemaVersion: Int { PostgresSchema.versions.count }

    /// Brings the schema up to date, safely when several instances start at once.
    ///
    /// Everything happens in one transaction that first takes
    /// `pg_advisory_xact_lock(migrationLock)`: a second instance starting at the same
    /// moment waits on the lock until the first has committed, then finds every version
    /// already in `schema_migrations` and applies nothing. The lock is released by the
    /// COMMIT (or ROLLBACK) itself, so a migrating process that dies leaves no lock behind,
    /// and PostgreSQL's transactional DDL means a failed migration leaves no half-made
    /// schema: the database stays at the version it had.
    ///
    /// Versions are frozen once shipped: each is a list of statements
    /// (`PostgresSchema/versions`), applied in order, each recorded as one row of
    /// `schema_migrations(version, applied_at)`. A database whose newest version is
    /// newer than this build knows is refused (an older binary must not write to a
    /// schema it does not understand). After the versions, in the same transaction, every
    /// merchant without a robust key of its own gets one (`giveMerchantsOwnRobustKeys(on:logger:)`).
    ///
    /// - Returns: the schema version after migrating.
    @discardableResult
    static func migrate(on connection: PostgresConnection, logger: Logger) async throws -> Int {
        try await connection.run("BEGIN", logger: logger)
        do {
            try await connection.run("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            try await connection.run(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY CHECK (version >= 1),
                    applied_at TEXT NOT NULL
                )
                """, logger: logger)
            let rows = try await connection.rows("SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations", logger: logger)
            let current: Int = try rows.first.map { try PostgresRowReader($0, table: "schema_migrations").int("version") } ?? 0
            let versions = PostgresSchema.versions
            guard current <= versions.count else { throw MigrationFailure.newerSchema(current, known: versions.count) }
            for version in versions.indices.map({ $0 + 1 }) where version > current {
                for statement in versions[version - 1] {
                    try await connection.run(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.run(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (\(version), \(Timestamp.string(Date())))",
                    logger: logger)
                logger.info("applied PostgreSQL schema version \(version)")
            }
            try await giveMerchantsOwnRobustKeys(on: connection, logger: logger)
            try await connection.run("COMMIT", logger: logger)
            return versions.count
        } catch {
            _ = try? await connection.run("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// A migration that cannot run.
    public enum MigrationFailure: Error, CustomStringConvertible {
        case newerSchema(Int, known: Int)

        public var description: String {
            switch self {
            case .newerSchema(let found, let known):
                "the database is at schema version \(found), newer than this build knows (\(known)); upgrade coupon-server"
            }
        }
    }
}
