import CouponKit
import RobustMark

/// What both stores' row readers provide (the SQLite store's `RowReader` over GRDB, the
/// PostgreSQL store's over postgres-nio): three primitive columns read as they are, and,
/// built on them once, the columns with a meaning (kinds, currencies, money, epochs,
/// keys) and the records (``StoredRecord``). Every accessor throws
/// ``StoreError/corruptRow(table:column:)`` for a value it cannot take as it is; none
/// traps or repairs.
package protocol StoreRowReading {
    /// The table the row comes from, named in ``StoreError/corruptRow(table:column:)``.
    var table: String { get }
    /// A TEXT column; nil for NULL.
    func optionalText(_ column: String) throws(StoreError) -> String?
    /// An integer column; nil for NULL.
    func optionalInteger(_ column: String) throws(StoreError) -> Int64?
    /// A BLOB (BYTEA) column, required.
    func bytes(_ column: String) throws(StoreError) -> [UInt8]
}

extension StoreRowReading {
    /// The error for `column` of this row.
    package func corrupt(_ column: String) -> StoreError {
        .corruptRow(table: table, column: column)
    }

    package func text(_ column: String) throws(StoreError) -> String {
        guard let text = try optionalText(column) else { throw corrupt(column) }
        return text
    }

    package func integer(_ column: String) throws(StoreError) -> Int64 {
        guard let value = try optionalInteger(column) else { throw corrupt(column) }
        return value
    }

    /// An integer that fits `Int`.
    package func int(_ column: String) throws(StoreError) -> Int {
        guard let value = Int(exactly: try integer(column)) else { throw corrupt(column) }
        return value
    }

    /// A TEXT column holding one case of `Kind`.
    package func kind<Kind: RawRepresentable>(_ column: String, as _: Kind.Type = Kind.self) throws(StoreError) -> Kind
    where Kind.RawValue == String {
        guard let kind = Kind(rawValue: try text(column)) else { throw corrupt(column) }
        return kind
    }

    /// An ISO 4217 code.
    package func currency(_ column: String) throws(StoreError) -> Currency {
        guard let currency = Currency(try text(column)) else { throw corrupt(column) }
        return currency
    }

    /// Integer minor units in `column`, in the currency of `currencyColumn`.
    package func money(_ column: String, currency currencyColumn: String) throws(StoreError) -> Money {
        Money(amount: try integer(column), currency: try currency(currencyColumn))
    }

    /// A reveal-key epoch (1...UInt32.max).
    package func epoch(_ column: String) throws(StoreError) -> UInt32 {
        guard let epoch = UInt32(exactly: try integer(column)), epoch >= 1 else { throw corrupt(column) }
        return epoch
    }

    /// A reveal key: its epoch and its 32 raw bytes.
    package func revealKey(epoch epochColumn: String, key keyColumn: String) throws(StoreError) -> RevealKey {
        guard let key = RevealKey(epoch: try epoch(epochColumn), rawBytes: try bytes(keyColumn)) else {
            throw corrupt(keyColumn)
        }
        return key
    }

    /// The robust-layer key: 32 raw bytes.
    package func robustKey(_ column: String) throws(StoreError) -> RobustKey {
        guard let key = RobustKey(bytes: try bytes(column)) else { throw corrupt(column) }
        return key
    }

    /// An issuer public key: 32 raw Ed25519 bytes.
    package func issuerPublicKey(_ column: String) throws(StoreError) -> IssuerPublicKey {
        guard let key = IssuerPublicKey(rawBytes: try bytes(column)) else { throw corrupt(column) }
        return key
    }
}
