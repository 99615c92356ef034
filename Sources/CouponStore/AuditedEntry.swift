/// A ledger entry as the audit reads it: the raw row, with no model type's checks in
/// between (a tampered amount must reach the audit, not stop at a reader).
struct AuditedEntry: Sendable, Equatable {
    var transactionId: String
    var account: String
    var amount: Int64
    var currency: String
}

extension AuditedEntry {
    /// `account amount currency`, as problem details quote it.
    var summary: String { "\(account) \(amount) \(currency)" }
}
