import ArgumentParser
import CommandLineEntry
import CouponPostgres
import CouponSQLite
import CouponStore
import Foundation
import Logging

/// `--data DIR` / `--postgres URL` / `--postgres-pool N`, shared by `serve` and every
/// admin command: which store to open.
///
/// PostgreSQL when `--postgres` is given, or when `COUPONMARK_POSTGRES_URL` is set and
/// `--data` is not; SQLite under `--data` (default `./data`) otherwise. `--data` still
/// names where files live with PostgreSQL (`seed-demo`'s demo keys).
struct StoreOptions: ParsableArguments {
    static let environmentKey = "COUPONMARK_POSTGRES_URL"

    @Option(name: .long, help: ArgumentHelp("Data directory (SQLite database, demo keys). Default ./data.", valueName: "DIR"))
    var data: String?
    @Option(
        name: .long,
        help: ArgumentHelp(
            "PostgreSQL database instead of SQLite (postgres://user[:password]@host:5432/db[?sslmode=disable|prefer|require]); default $COUPONMARK_POSTGRES_URL unless --data is given.",
            valueName: "URL"))
    var postgres: String?
    @Option(name: .customLong("postgres-pool"), help: "Most PostgreSQL connections this process opens.")
    var postgresPool = PostgresStore.defaultPoolSize
    @Option(
        name: .customLong("postgres-lease-timeout"),
        help: ArgumentHelp(
            "Seconds a request waits for a free PostgreSQL connection before it is answered 503 server_busy.",
            valueName: "SECONDS"))
    var postgresLeaseTimeout = Double(PostgresStore.defaultLeaseTimeout.components.seconds)

    var dataDirectory: String { data ?? "./data" }

    /// The PostgreSQL URL to use, if any (parsed; its password is never printed).
    func postgresURL() throws(ValidationError) -> PostgresURL? {
        let environment = ProcessInfo.processInfo.environment[Self.environmentKey].flatMap { $0.isEmpty ? nil : $0 }
        guard let text = postgres ?? (data == nil ? environment : nil) else { return nil }
        do {
            return try PostgresURL(text)
        } catch {
            let source = postgres != nil ? "--postgres" : Self.environmentKey
            throw ValidationError("\(source): \(error.description)")
        }
    }

    func validate() throws {
        guard postgresPool >= 1 else { throw ValidationError("--postgres-pool must be at least 1") }
        guard postgresLeaseTimeout > 0, postgresLeaseTimeout <= 3600 else {
            throw ValidationError("--postgres-lease-timeout must be more than 0 and at most 3600 seconds")
        }
        _ = try postgresURL()
    }

    /// Opens the store (migrating it) and runs `body` with it. A PostgreSQL store's
    /// connection pool runs for as long as `body` does (``PostgresStore/withPool(_:)``)
    /// unless `runningPool` is false: `serve` hands the store to its service group
    /// instead, which runs the pool beside the HTTP server. Any failure to open is a
    /// storage fault, exit 2.
    func withStore<Value: Sendable>(
        logLevel: Logger.Level = .warning, runningPool: Bool = true, _ body: (OpenedStore) async throws -> Value
    ) async throws -> Value {
        let store = try await open(logLevel: logLevel)
        guard runningPool, case .postgres(let postgres) = store else { return try await body(store) }
        return try await postgres.withPool { try await body(store) }
    }

    func open(logLevel: Logger.Level) async throws -> OpenedStore {
        if let url = try postgresURL() {
            var logger = Logger(label: "coupon-server.postgres")
            logger.logLevel = logLevel
            do {
                return .postgres(
                    try await PostgresStore.open(
                        url: url, poolSize: postgresPool, leaseTimeout: .milliseconds(Int64(postgresLeaseTimeout * 1000)),
                        logger: logger))
            } catch {
                // Its description names the URL without the password.
                throw CommandFailure(error.description, exitCode: .serverFailure)
            }
        }
        return .sqlite(try openStore(dataDirectory), directory: dataDirectory)
    }
}

/// The store a command opened.
enum OpenedStore: Sendable {
    case sqlite(SQLiteStore, directory: String)
    case postgres(PostgresStore)

    var repository: any CouponRepository {
        switch self {
        case .sqlite(let store, _): store
        case .postgres(let store): store
        }
    }

    /// What it is, for messages: the data directory, or the PostgreSQL database's URL
    /// without its password.
    var name: String {
        switch self {
        case .sqlite(_, let directory): directory
        case .postgres(let store): "the PostgreSQL database \(store.url)"
        }
    }

    func audit() async throws -> LedgerAudit {
        switch self {
        case .sqlite(let store, _): try await store.audit()
        case .postgres(let store): try await store.audit()
        }
    }
}

/// Opens the SQLite store; any failure (directory, SQLite, a migration refusing a
/// damaged row) is a storage fault, exit 2.
func openStore(_ directory: String) throws(ContextualFailure<any Error>) -> SQLiteStore {
    do {
        return try SQLiteStore(dataDirectory: directory)
    } catch {
        throw ContextualFailure("cannot open the data directory \(directory)", error, exitCode: .serverFailure)
    }
}
