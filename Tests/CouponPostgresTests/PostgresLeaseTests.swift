import CouponStore
import Foundation
import PostgresNIO
import StoreTestSupport
import Testing

@testable import CouponPostgres

/// Every statement of the PostgreSQL store leases its connection for one closure, with a
/// deadline on the wait: a full pool answers busy (503 `server_busy` upstream), never
/// hangs, and every lease is given back.
@Suite(.timeLimit(.minutes(2))) struct PostgresLeaseTests {
    @Test func aWaitForAConnectionEndsBusyNeverInAHang() async throws {
        let store = try await makePostgresStore(poolSize: 1, leaseTimeout: .milliseconds(500))
        // The pool's one connection is opened first (on a loaded machine opening it can
        // take longer than the deadline), then held.
        for attempt in 1...20 {
            do {
                try await store.ping()
                break
            } catch StoreError.busy where attempt < 20 {}
        }
        let holding = Task { try await store.withConnection { _ in try await Task.sleep(for: .seconds(20)) } }
        for _ in 0..<1000 where store.leasedConnections == 0 { try await Task.sleep(for: .milliseconds(10)) }
        try #require(store.leasedConnections == 1, "the holder leased the connection")
        await #expect(throws: StoreError.busy(retryAfterSeconds: 1)) { try await store.ping() }
        #expect(store.leasedConnections == 1, "the refused wait holds nothing")
        holding.cancel()
        _ = try? await holding.value
        #expect(store.leasedConnections == 0)
        try await store.ping()
        await store.shutdown()
    }

    /// Statements that fail on the server (here, a division by zero raised after the
    /// statement was bound, as `settle_order` raises its refusals) give their connection
    /// back: a pool of two survives two hundred of them, then answers at once.
    @Test func failedStatementsGiveTheirConnectionsBack() async throws {
        let store = try await makePostgresStore(poolSize: 2, leaseTimeout: .seconds(2))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    await #expect(throws: (any Error).self) {
                        _ = try await store.rows("SELECT 1 / (\(Int64(index)) - \(Int64(index))) AS boom")
                    }
                }
                if index % 8 == 7 { try await group.waitForAll() }
            }
        }
        #expect(store.leasedConnections == 0)
        try await store.ping()
        await store.shutdown()
    }
}
