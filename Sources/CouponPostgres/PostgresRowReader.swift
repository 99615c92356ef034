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

    /// A TEXT column holding one case of `Kind`.
    func kind<Kind: RawRepresentable>(_ column: String, as _: Kind.Type = Kind.self) throws(StoreError) -> Kind
    where Kind.RawValue == String {
        guard let kind = Kind(rawValue: try value(column) as String) else { throw corrupt(column) }
        return kind
    }

    /// An ISO 4217 code.
    func currency(_ column: String) throws(StoreError) -> Currency {
        guard let currency = Currency(try value(column) as String) else { throw corrupt(column) }
        return currency
    }

    /// BIGINT minor units in `column`, in the currency of `currencyColumn`.
    func money(_ column: String, currency currencyColumn: String) throws(StoreError) -> Money {
        Money(amount: try value(column) as Int64, currency: try currency(currencyColumn))
    }

    /// A reveal-key epoch (1...UInt32.max).
    func epoch(_ column: String) throws(StoreError) -> UInt32 {
        guard let epoch = UInt32(exactly: try value(column) as Int64), epoch >= 1 else { throw corrupt(column) }
        return epoch
    }

    /// A reveal key: its epoch and its 32 raw bytes.
    func revealKey(epoch epochColumn: String, key keyColumn: String) throws(StoreError) -> RevealKey {
        guard let key = RevealKey(epoch: try epoch(epochColumn), rawBytes: try bytes(keyColumn)) else {
            throw corrupt(keyColumn)
        }
        return key
    }

    /// An issuer public key: 32 raw Ed25519 bytes.
    func issuerPublicKey(_ column: String) throws(StoreError) -> IssuerPublicKey {
        guard let key = IssuerPublicKey(rawBytes: try bytes(column)) else { throw corrupt(column) }
        return key
    }
}
