import CouponKit
import CouponStore
import Foundation
import PostgresNIO

/// One row of `table`, read column by column, like the SQLite store's `RowReader`:
/// every accessor throws ``StoreError/corruptRow(table:column:)`` for a value it cannot
/// take as it is (NULL where a value is required, another type, an unknown kind or
/// currency, a key of the wrong size). It never traps and never repairs.
struct PostgresRowReader {
    let row: PostgresRandomAccessRow
    let table: String

    init(_ row: PostgresRow, table: String) {
        self.row = row.makeRandomAccess()
        self.table = table
    }

    func corrupt(_ column: String) -> StoreError {
        .corruptRow(table: table, column: column)
    }

    /// A required value.
    func value<Value: PostgresDecodable>(_ column: String) throws(StoreError) -> Value {
        guard let value = try optional(column) as Value? else { throw corrupt(column) }
        return value
    }

    /// A nullable value: NULL is nil, anything else must decode.
    func optional<Value: PostgresDecodable>(_ column: String) throws(StoreError) -> Value? {
        guard row.contains(column) else { throw corrupt(column) }
        let cell = row[column]
        if cell.bytes == nil { return nil }
        do {
            return try cell.decode(Value.self)
        } catch {
            throw corrupt(column)
        }
    }

    /// A BYTEA column.
    func bytes(_ column: String) throws(StoreError) -> [UInt8] {
        Array(try value(column) as Data)
    }
}

extension PostgresRowReader: StoreRowReading {
    func optionalText(_ column: String) throws(StoreError) -> String? { try optional(column) }
    func optionalInteger(_ column: String) throws(StoreError) -> Int64? { try optional(column) }
}
