import CouponKit
public import CouponStore
import Foundation
import PostgresNIO
public import RobustMark

extension PostgresStore {
    /// Made by the first instance that asks (`ON CONFLICT DO NOTHING`: of two racing
    /// instances one inserts, and both read the row that won).
    public func robustKey() async throws -> RobustKey {
        if let key = try await storedRobustKey() { return key }
        let candidate = RobustKey()
        _ = try await rows(
            """
            INSERT INTO robust_key (id, key, created_at) VALUES (1, \(Data(candidate.rawBytes)), \(Timestamp.string(Date())))
            ON CONFLICT (id) DO NOTHING
            """)
        guard let key = try await storedRobustKey() else { throw StoreError.corruptRow(table: "robust_key", column: "key") }
        return key
    }

    private func storedRobustKey() async throws -> RobustKey? {
        try await rows("SELECT key FROM robust_key WHERE id = 1").first.map { row throws(StoreError) in
            try PostgresRowReader(row, table: "robust_key").robustKey("key")
        }
    }

    public func coupon(robustId: String) async throws -> StoredCoupon? {
        try await rows("SELECT * FROM coupons WHERE robust_id = \(robustId) ORDER BY seq DESC LIMIT 1").first.map {
            row throws(StoreError) in try StoredRecord.coupon(PostgresRowReader(row, table: "coupons"))
        }
    }
}
