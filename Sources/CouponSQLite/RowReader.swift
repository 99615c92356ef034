import CouponStore
import CouponKit
import Foundation
import GRDB

/// One database row of `table`, read column by column. Every accessor throws
/// `StoreError/corruptRow(table:column:)` for a value it cannot take as it is: NULL
/// where a value is required, another type, an unknown kind or currency, a key of the
/// wrong size. It never traps (as GRDB's subscripts do) and never repairs (a default
/// kind, a placeholder currency, an empty string).
struct RowReader {
    let row: Row
    let table: String

    init(_ row: Row, table: String) {
        self.row = row
        self.table = table
    }

    /// A required value.
    func value<Value: DatabaseValueConvertible>(_ column: String) throws(StoreError) -> Value {
        guard let value = try optional(column) as Value? else { throw corrupt(column) }
        return value
    }

    /// A nullable value: NULL is nil, anything else must convert.
    func optional<Value: DatabaseValueConvertible>(_ column: String) throws(StoreError) -> Value? {
        guard row.hasColumn(column) else { throw corrupt(column) }
        let stored: DatabaseValue = row[column]
        if stored.isNull { return nil }
        guard let value = Value.fromDatabaseValue(stored) else { throw corrupt(column) }
        return value
    }

    /// A BLOB column.
    func bytes(_ column: String) throws(StoreError) -> [UInt8] {
        Array(try value(column) as Data)
    }
}

extension RowReader: StoreRowReading {
    func optionalText(_ column: String) throws(StoreError) -> String? { try optional(column) }
    func optionalInteger(_ column: String) throws(StoreError) -> Int64? { try optional(column) }
}
