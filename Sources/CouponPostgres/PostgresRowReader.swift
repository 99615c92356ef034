import CouponKit
import CouponStore
import Foundation
import PostgresNIO

/// One row of `table`, read column by column through `StoreRowReading` like the SQLite
/// store's `RowReader`: every accessor throws `StoreError/corruptRow(table:column:)`
/// for a value it cannot take as it is (NULL where a value is required, another type, an
/// unknown kind or currency, a key of the wrong size). It never traps and never repairs.
struct PostgresRowReader: StoreRowReading {
    let row: PostgresRandomAccessRow
    let table: String

    init(_ row: PostgresRow, table: String) {
        self.row = row.makeRandomAccess()
        self.table = table
    }

    func optionalText(_ column: String) throws(StoreError) -> String? { try decoded(column) }

    func optionalInteger(_ column: String) throws(StoreError) -> Int64? { try decoded(column) }

    func bytes(_ column: String) throws(StoreError) -> [UInt8] {
        guard let data = try decoded(column) as Data? else { throw corrupt(column) }
        return Array(data)
    }

    /// NULL is nil; anything else must decode as `Value` (postgres-nio checks the
    /// column's type: BIGINT is no TEXT).
    private func decoded<Value: PostgresDecodable>(_ column: String) throws(StoreError) -> Value? {
        guard row.contains(column) else { throw corrupt(column) }
        let cell = row[column]
        if cell.bytes == nil { return nil }
        do {
            return try cell.decode(Value.self)
        } catch {
            throw corrupt(column)
        }
    }
}
