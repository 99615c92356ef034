/// An order as the audit reads it: the amounts as stored (signed minor units) and the
/// currency as text, so that a row the model types would refuse is still audited.
struct AuditedOrder: Sendable, Equatable {
    var id: String
    var memberId: String
    var merchantId: String
    var listTotal: Int64
    var discount: Int64
    var total: Int64
    var currency: String
    var transactionId: String
}

extension AuditedOrder {
    /// The two legs the settlement writes (SQLiteStore+Orders.swift). Wrapping negation:
    /// a tampered `Int64.min` total must not trap the audit (its legs cannot match).
    var expectedLegs: [AuditedEntry] {
        [
            AuditedEntry(transactionId: transactionId, account: "member:\(memberId)", amount: 0 &- total, currency: currency),
            AuditedEntry(transactionId: transactionId, account: "merchant:\(merchantId)", amount: total, currency: currency),
        ]
    }

    /// What is wrong with this order, given its transaction's ledger entries.
    func problems(legs: [AuditedEntry]) -> [AuditProblem] {
        var problems: [AuditProblem] = []
        if discount < 0 || discount > listTotal {
            problems.append(
                AuditProblem(
                    .discountOutOfRange, orderId: id, transactionId: transactionId,
                    detail: "discount \(discount) is outside 0...\(listTotal) (the list total)"))
        }
        let (difference, overflow) = listTotal.subtractingReportingOverflow(discount)
        if overflow || total != difference {
            problems.append(
                AuditProblem(
                    .totalMismatch, orderId: id, transactionId: transactionId,
                    detail: "total \(total) is not list total \(listTotal) - discount \(discount)"))
        }
        let byAccount = { (entries: [AuditedEntry]) in entries.sorted { ($0.account, $0.amount) < ($1.account, $1.amount) } }
        if byAccount(legs) != byAccount(expectedLegs) {
            let found = legs.isEmpty ? "no entries" : legs.map(\.summary).joined(separator: ", ")
            problems.append(
                AuditProblem(
                    .ledgerMismatch, orderId: id, transactionId: transactionId,
                    detail: "expected \(expectedLegs.map(\.summary).joined(separator: ", ")); the ledger has \(found)"))
        }
        return problems
    }
}
