/// A ledger entry as the audit reads it: the raw row, with no model type's checks in
/// between (a tampered amount must reach the audit, not stop at a reader).
package struct AuditedEntry: Sendable, Equatable {
    package var transactionId: String
    package var account: String
    package var amount: Int64
    package var currency: String

    package init(transactionId: String, account: String, amount: Int64, currency: String) {
        (self.transactionId, self.account, self.amount, self.currency) = (transactionId, account, amount, currency)
    }
}

extension AuditedEntry {
    /// `account amount currency`, as problem details quote it.
    var summary: String { "\(account) \(amount) \(currency)" }
}
