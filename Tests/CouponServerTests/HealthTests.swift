import CouponPostgres
import CouponServer
import CouponSQLite
import CouponStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import StoreTestSupport
import Testing
import TestSupport

/// `/healthz` asks the database: 200 `{"status":"ok","database":KIND}` while it answers
/// `SELECT 1`, 503 `database_unavailable` when it is closed or does not answer in time.
@Suite struct HealthTests {
    @Test(arguments: StoreKind.allCases) func reportsTheDatabase(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        try await server.test { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            let body = try json(health)
            #expect(body["status"] as? String == "ok")
            #expect(body["database"] as? String == (kind == .sqlite ? "sqlite" : "postgresql"))
        }
    }

    /// A store that is closed under the server (SQLite's connections, PostgreSQL's pool)
    /// is a 503; the server itself still answers.
    @Test(arguments: StoreKind.allCases) func closedDatabaseIsUnavailable(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        try await server.test { client in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            if let sqlite = server.sqlite {
                try sqlite.closeConnections()
            } else {
                let postgres = try #require(server.store as? PostgresStore)
                await postgres.shutdown()
            }
            try expectProblem(
                try await client.execute(uri: "/healthz", method: .get), .serviceUnavailable, "database_unavailable")
        }
    }

    /// A database that does not answer: every pooled connection waits on a lock another
    /// session holds, so `SELECT 1` gets no connection. `/healthz` answers 503 after its
    /// timeout instead of waiting with it, and 200 again once the lock is gone.
    @Test func stalledDatabaseTimesOut() async throws {
        let store = try await makePostgresStore(poolSize: 1)
        var configuration = ServerConfiguration(dataDirectory: makeTemporaryDirectory(), logLevel: .warning)
        configuration.healthTimeout = .milliseconds(300)
        let app = try buildApplication(configuration, repository: store)
        let locker = try await PostgresConnection.connect(
            configuration: .init(
                host: store.url.host, port: store.url.port, username: store.url.username, password: store.url.password,
                database: store.url.database, tls: .disable),
            id: 1, logger: Self.logger)
        do {
            try await app.test(.router) { client in
                _ = try await locker.query("BEGIN", logger: Self.logger)
                _ = try await locker.query("LOCK TABLE reveal_keys IN ACCESS EXCLUSIVE MODE", logger: Self.logger)
                let blocked = Task { try await store.keyRing() }
                // Until the store's one connection is waiting for the lock.
                while try await Self.waitingLocks(locker) == 0 { try await Task.sleep(for: .milliseconds(20)) }
                // Answered while the lock is still held (it is released only below): the check
                // gave up on the database rather than waiting for it.
                try expectProblem(
                    try await client.execute(uri: "/healthz", method: .get), .serviceUnavailable, "database_unavailable")
                _ = try await locker.query("ROLLBACK", logger: Self.logger)
                _ = try await blocked.value
                // Healthy again; on a loaded machine a ping may take longer than the 300 ms
                // this test gives it, so it is asked a few times (ten seconds at most).
                var healthy = false
                for _ in 0..<50 where !healthy {
                    healthy = try await client.execute(uri: "/healthz", method: .get).status == .ok
                    if !healthy { try await Task.sleep(for: .milliseconds(200)) }
                }
                #expect(healthy)
            }
        } catch {
            try? await locker.close()
            await store.shutdown()
            throw error
        }
        try await locker.close()
        await store.shutdown()
    }

    private static let logger = Logger(label: "couponmark.tests.locker")

    private static func waitingLocks(_ connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query("SELECT count(*)::int FROM pg_locks WHERE NOT granted", logger: logger).collect()
        return try rows.first?.decode(Int.self) ?? 0
    }
}
