public import CouponPostgres
public import Logging
import NIOConcurrencyHelpers

/// Tests open PostgreSQL stores directly, use them, and close them, outside any service
/// group: ``connect(url:poolSize:leaseTimeout:logger:migrate:)`` opens a store and runs
/// its pool in a task until ``shutdown()``. The server itself never does this: `serve`
/// runs the pool as a service, admin commands with `withPool`.
extension PostgresStore {
    /// How long a test's lease may wait unless the test says otherwise: far above the
    /// production 5 s, because on two loaded cores opening a connection to a fresh database
    /// has taken longer than that (a migration test failed with `server_busy`). The lease
    /// deadline itself is tested with short ones (PostgresLeaseTests).
    public static let testLeaseTimeout: Duration = .seconds(60)

    private static let pools = NIOLockedValueBox<[ObjectIdentifier: Task<Void, Never>]>([:])

    public static func connect(
        url: PostgresURL, poolSize: Int = defaultPoolSize, leaseTimeout: Duration = testLeaseTimeout,
        logger: Logger = Logger(label: "couponmark.postgres"), migrate: Bool = true
    ) async throws -> PostgresStore {
        let store = try await open(url: url, poolSize: poolSize, leaseTimeout: leaseTimeout, logger: logger, migrate: migrate)
        let task = Task<Void, Never> { try? await store.run() }
        pools.withLockedValue { $0[ObjectIdentifier(store)] = task }
        return store
    }

    /// Closes the pool a test's ``connect(url:poolSize:leaseTimeout:logger:migrate:)`` started.
    public func shutdown() async {
        guard let task = Self.pools.withLockedValue({ $0.removeValue(forKey: ObjectIdentifier(self)) }) else { return }
        task.cancel()
        await task.value
    }
}
