public import CouponPostgres
public import Logging
import NIOConcurrencyHelpers

/// Tests open PostgreSQL stores directly, use them, and close them, outside any service
/// group: ``connect(url:poolSize:leaseTimeout:logger:migrate:)`` opens a store and runs
/// its pool in a task until ``shutdown()``. The server itself never does this: `serve`
/// runs the pool as a service, admin commands with `withPool`.
extension PostgresStore {
    private static let pools = NIOLockedValueBox<[ObjectIdentifier: Task<Void, Never>]>([:])

    public static func connect(
        url: PostgresURL, poolSize: Int = defaultPoolSize, leaseTimeout: Duration = defaultLeaseTimeout,
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
