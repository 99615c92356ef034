import CouponPostgres
import Logging
import TestSupport

/// Which store a test runs on. Suites about the repositories' behaviour run on both
/// (`@Test(arguments: StoreKind.allCases)`); PostgreSQL comes from ``PostgresCluster``
/// (one throwaway cluster per test process, a fresh database per store).
public enum StoreKind: String, CaseIterable, Sendable {
    case sqlite, postgres
}

/// A fresh, migrated PostgreSQL store on its own database of the test cluster: a copy
/// of one database migrated once per test process (connecting to it migrates again,
/// finding nothing to do; the migrations themselves are tested on empty databases in
/// CouponPostgresTests).
public func makePostgresStore(poolSize: Int = 2, leaseTimeout: Duration = PostgresStore.testLeaseTimeout)
    async throws -> PostgresStore
{
    let url = try await PostgresCluster.shared().createDatabase(template: try await migratedTemplate.value)
    return try await PostgresStore.connect(
        url: PostgresURL(url), poolSize: poolSize, leaseTimeout: leaseTimeout, logger: quietLogger)
}

private var quietLogger: Logger {
    var logger = Logger(label: "couponmark.tests.postgres")
    logger.logLevel = .warning
    return logger
}

/// The database every test database copies: migrated, then left alone (a template must
/// have no connections while it is copied).
private let migratedTemplate = Task<String, any Error> {
    let url = try await PostgresCluster.shared().createDatabase()
    let store = try await PostgresStore.connect(url: PostgresURL(url), poolSize: 1, logger: quietLogger)
    await store.shutdown()
    return store.url.database
}
