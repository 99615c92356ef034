public import CouponStore
import PostgresNIO

extension PostgresStore: HealthRepository {
    public var databaseKind: String { "postgresql" }

    /// `SELECT 1` on a pooled connection: the pool runs and the server answers.
    public func ping() async throws {
        _ = try await rows("SELECT 1")
    }
}
