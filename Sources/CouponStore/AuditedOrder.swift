/// An order as the audit reads it: the amounts as stored (signed minor units) and the
/// currency as text, so that a row the model types would refuse is still audited.
package struct AuditedOrder: Sendable, Equatable {
    package var id: String
    package var memberId: String
    package var merchantId: String
    package var listTotal: Int64
    package var discount: Int64
    package var total: Int64
    package var currency: String
    package var transactionId: String
    /// The coupon's serial, nil without one.
    package var couponSerial: String?
    /// The terms the order applied (all nil without a coupon, or before they were kept).
    package var applied: AppliedCouponColumns

    package init(
        id: String, memberId: String, merchantId: String, listTotal: Int64, discount: Int64, total: Int64,
        currency: String, transactionId: String, couponSerial: String? = nil,
        applied: AppliedCouponColumns = AppliedCouponColumns(nil)
    ) {
        (self.id, self.memberId, self.merchantId) = (id, memberId, merchantId)
        (self.listTotal, self.discount, self.total) = (listTotal, discount, total)
        (self.currency, self.transactionId) = (currency, transactionId)
        (self.couponSerial, self.applied) = (couponSerial, applied)
    }
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
