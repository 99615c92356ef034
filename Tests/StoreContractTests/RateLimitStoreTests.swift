import CouponPostgres
import CouponSQLite
import CouponStore
import Foundation
import StoreTestSupport
import Testing

/// ``RateLimitRepository``: a per-minute limit holds for the whole deployment. On
/// PostgreSQL, two instances (two stores with pools of their own on one database) share
/// it: N instances do not give N times the limit.
@Suite(.timeLimit(.minutes(2))) struct RateLimitStoreTests {
    @Test func twoPostgresInstancesShareOneLimit() async throws {
        let first = try await makePostgresStore()
        let second = try await PostgresStore.connect(url: first.url, poolSize: 2, migrate: false)
        let now = Date()
        let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                let store = index % 2 == 0 ? first : second
                group.addTask { try await store.admit(key: "join:203.0.113.7", perMinute: 7, at: now) == nil }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 7)
        let wait = try #require(try await second.admit(key: "join:203.0.113.7", perMinute: 7, at: now))
        #expect((1...60).contains(wait))
        // Another key has its own count; the next minute starts again.
        #expect(try await first.admit(key: "join:198.51.100.1", perMinute: 7, at: now) == nil)
        #expect(try await first.admit(key: "join:203.0.113.7", perMinute: 7, at: now.addingTimeInterval(61)) == nil)
        await second.shutdown()
        await first.shutdown()
    }

    @Test func sqliteCountsInItsProcess() async throws {
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(dataDirectory: directory)
        var admitted = 0
        for _ in 0..<10 where try await store.admit(key: "robust:member:m1", perMinute: 4, at: Date()) == nil {
            admitted += 1
        }
        #expect(admitted == 4)
    }
}
