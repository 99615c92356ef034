import CouponStore
import Foundation
public import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import PostgresNIO
public import ServiceLifecycle

/// The scale-out store: the same repositories as `SQLiteStore` on one PostgreSQL
/// database that any number of server instances share.
///
/// ## Lifecycle
///
/// A store owns a connection pool (postgres-nio's `PostgresClient`), which works only
/// while `run()` runs: the store is a `Service`. `open(url:poolSize:leaseTimeout:logger:migrate:)`
/// opens one plain connection first (so a wrong URL, a refused password or a server that
/// is down fails at once, with a clear error, rather than leaving pool requests waiting),
/// brings the schema up to date on it (`migrate(on:logger:)`), closes it, and makes the
/// pool. `coupon-server serve` hands the store to the application's `ServiceGroup`,
/// which runs the pool beside the HTTP server and closes it after the server has
/// finished its requests; admin commands run the pool for their one piece of work with
/// `withPool(_:)`. Nothing runs in an unstructured task.
///
/// ```swift
/// let store = try await PostgresStore.open(url: PostgresURL("postgres://couponmark@127.0.0.1:5432/couponmark"))
/// let ring = try await store.withPool { try await store.keyRing() }
/// ```
///
/// ## Concurrency across instances
///
/// Every public method is one transaction at READ COMMITTED. Nothing is ever counted and
/// then inserted: the decisions that must hold across instances are taken by the
/// database itself, in one statement each (a settlement's statements run inside the
/// plpgsql function `settle_order`, one round trip: `settle(_:)`).
/// - Redemption limits: a counter row per coupon (`coupon_uses`) and per coupon and
///   member (`coupon_member_uses`), raised by `INSERT ... ON CONFLICT DO UPDATE SET
///   used = used + 1 WHERE used < limit`. The row lock makes racing
///   settlements queue on the counter, and each re-reads the committed count before
///   deciding; no row back means the limit is reached. A settlement writes its order's
///   rows first and raises the counters last, so the lock is held only to its COMMIT;
///   a coupon without a total limit has nothing to count, and its row is locked
///   `FOR SHARE` (for revocations), so its settlements do not queue.
/// - Idempotency keys: the key is claimed first, `INSERT ... ON CONFLICT DO NOTHING`; a
///   racing request with the same key waits for the first one's transaction and then
///   finds the key taken (`SettlementOutcome/alreadyRecorded(_:)`), or takes it if the
///   first one rolled back.
/// - Member emails, merchants' issuer keys, (issuer, serial) of uploaded coupons,
///   revocations: UNIQUE constraints, written with `ON CONFLICT DO NOTHING` so that the
///   loser learns it lost without an error.
/// - Revocations: a revocation locks the coupon's `coupon_uses` row, which every
///   settlement of that coupon locks before it reads `revoked_coupons`, so no settlement
///   commits after a revocation without having seen it.
/// - Reveal keys: `ensureRevealKey`, `rotateRevealKey` and `retireRevealKey` lock
///   `reveal_keys` (EXCLUSIVE mode: readers go on) for their short transaction.
/// - Server keys and personal copies (`PostgresStore+PersonalCopies.swift`): the first
///   key and a member's copy are inserted with `ON CONFLICT DO NOTHING` against a unique
///   index (`server_keys_current`, one unretired key; the copies' primary key), then read
///   back, so racing callers all get the one row; rotations lock `server_keys` as the
///   reveal keys' do.
public final class PostgresStore: Service {
    /// The default largest number of pooled connections (`--postgres-pool`): two per core
    /// of this machine, at least 4. Each connection is a PostgreSQL backend; with the
    /// database on the same cores, more only add backends competing with the server's own
    /// coupon verification, which stretches the slowest orders without settling more
    /// (`tools/load`, 2 cores, orders with a coupon: p99 124 ms with 10 connections, 92 ms
    /// with 4, at the same 497 orders/s). A database on its own machine may want more.
    public static let defaultPoolSize = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)

    /// Where the database is (its ``PostgresURL/description`` hides the password).
    public let url: PostgresURL
    /// How long a request waits for a pooled connection before it is refused as busy
    /// (`StoreError/busy(retryAfterSeconds:)`; `withConnection` in `PostgresStore+Leases.swift`).
    public let leaseTimeout: Duration
    let client: PostgresClient
    let logger: Logger
    let leases = NIOLockedValueBox(0)

    /// The default `leaseTimeout`: far above a healthy order's wait for a connection
    /// (milliseconds), far below a client's patience.
    public static let defaultLeaseTimeout: Duration = .seconds(5)

    private init(url: PostgresURL, leaseTimeout: Duration, client: PostgresClient, logger: Logger) {
        (self.url, self.leaseTimeout, self.client, self.logger) = (url, leaseTimeout, client, logger)
    }

    /// Connects, migrates (unless `migrate` is false), and makes the pool of at most
    /// `poolSize` connections, which works while `run()` runs (a `Service` in the
    /// application's `ServiceGroup`, or `withPool(_:)` around a command's work). Throws ``ConnectFailure`` when the database cannot be
    /// reached or migrated; its description names the URL without its password.
    public static func open(
        url: PostgresURL, poolSize: Int = defaultPoolSize, leaseTimeout: Duration = defaultLeaseTimeout,
        logger: Logger = Logger(label: "couponmark.postgres"), migrate: Bool = true
    ) async throws(ConnectFailure) -> PostgresStore {
        guard poolSize >= 1 else { throw ConnectFailure(url: url, reason: "the pool size must be at least 1", underlying: nil) }
        guard leaseTimeout > .zero else {
            throw ConnectFailure(url: url, reason: "the lease timeout must be positive", underlying: nil)
        }
        do {
            var configuration = PostgresConnection.Configuration(
                host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
                tls: try connectionTLS(url.tls))
            configuration.options.connectTimeout = .seconds(10)
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            do {
                if migrate { try await Self.migrate(on: connection, logger: logger) }
                try await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch let error as MigrationFailure {
            throw ConnectFailure(url: url, reason: error.description, underlying: error)
        } catch let error as StoreError {
            throw ConnectFailure(url: url, reason: "a migration refused the database: \(error)", underlying: error)
        } catch {
            throw ConnectFailure(url: url, reason: Self.describe(error), underlying: error)
        }
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
            tls: clientTLS(url.tls))
        configuration.options.maximumConnections = poolSize
        configuration.options.minimumConnections = 0
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return PostgresStore(url: url, leaseTimeout: leaseTimeout, client: client, logger: logger)
    }

    /// Runs the connection pool until the task is cancelled or the service group shuts
    /// down gracefully, then closes every pooled connection. Statements wait for a
    /// connection while it is not running (and are refused as busy after
    /// `leaseTimeout`).
    public func run() async throws {
        await client.run()
    }

    /// Runs the pool for as long as `body` runs (admin commands: open, do one thing, close).
    public func withPool<Value: Sendable>(_ body: () async throws -> Value) async throws -> Value {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    /// Why `open(url:poolSize:leaseTimeout:logger:migrate:)` failed.
    public struct ConnectFailure: Error, CustomStringConvertible {
        public let url: PostgresURL
        public let reason: String
        public let underlying: (any Error & Sendable)?

        public var description: String { "cannot use the PostgreSQL database \(url): \(reason)" }
    }

    /// What the server said (its message, never the query's values), or the kind of
    /// connection failure.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + state
            }
            if let underlying = error.underlying { return "\(error.code) (\(underlying))" }
            return "\(error.code)"
        }
        if let error = error as? PostgresDecodingError { return "an unreadable value (\(error.code))" }
        return String(describing: type(of: error))
    }

    private static func connectionTLS(_ mode: PostgresURL.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    private static func clientTLS(_ mode: PostgresURL.TLSMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }

    // MARK: Transactions

    /// Runs `body` in one transaction on a pooled connection: COMMIT when it returns,
    /// ROLLBACK when it throws, and the error it threw is what the caller gets (postgres-nio's
    /// own `withTransaction` wraps every error in a `PostgresTransactionError`, which
    /// would hide `StoreError`). `snapshot`: a read-only REPEATABLE READ transaction,
    /// for reads of several statements that must see one state (as SQLite's readers do).
    func transaction<Value: Sendable>(
        snapshot: Bool = false, _ body: @escaping @Sendable (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        let logger = self.logger
        return try await withConnection { connection in
            try await connection.query(
                snapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN", logger: logger)
            do {
                let value = try await body(connection)
                try await connection.query("COMMIT", logger: logger)
                return value
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// The rows of one statement on a pooled connection (one statement is its own
    /// transaction; reads of several statements use `transaction(snapshot:_:)`).
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        let logger = self.logger
        return try await withConnection { connection in try await connection.rows(query, logger: logger) }
    }
}

extension PostgresConnection {
    /// All rows of `query`.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }

    /// Runs `query`, dropping any rows.
    func run(_ query: PostgresQuery, logger: Logger) async throws {
        _ = try await self.query(query, logger: logger).collect()
    }
}
