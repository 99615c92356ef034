import GRDB

/// A ledger entry as the audit reads it: the raw row, with no model type's checks in
/// between (a tampered amount must reach the audit, not stop at a reader).
struct AuditedEntry: Sendable, Equatable {
    var transactionId: String
    var account: String
    var amount: Int64
    var currency: String

    init(transactionId: String, account: String, amount: Int64, currency: String) {
        self.transactionId = transactionId
        self.account = account
        self.amount = amount
        self.currency = currency
    }

    /// Reads `transaction_id, account, amount, currency`; a NULL or a non-integer
    /// amount is a damaged row (``StoreError/corruptRow(table:column:)``).
    init(row: Row) throws(StoreError) {
        let reader = RowReader(row, table: "ledger_entries")
        self.init(
            transactionId: try reader.value("transaction_id"), account: try reader.value("account"),
            amount: try reader.value("amount"), currency: try reader.value("currency"))
    }

    /// `account amount currency`, as problem details quote it.
    var summary: String { "\(account) \(amount) \(currency)" }
}
