/// What `SQLiteStore/audit()` found: the books prove themselves when
/// ``ledgerBalanced`` is true and ``problems`` is empty (``isClean``).
///
/// The ledger records an order as its total only (the member's account pays `-total`,
/// the merchant's receives `+total`); the list total and the discount live on the order
/// row, where the audit checks `0 <= discount <= list_total` and
/// `total = list_total - discount`.
public struct LedgerAudit: Sendable, Equatable {
    /// Every ledger transaction's entries sum to zero in each currency.
    public var ledgerBalanced: Bool
    /// Orders read.
    public var orders: Int
    /// Ledger entries read.
    public var ledgerEntries: Int
    /// Everything wrong, transactions first (in the order of their first entry), then
    /// orders (in the order they were placed).
    public var problems: [AuditProblem]

    public init(ledgerBalanced: Bool, orders: Int, ledgerEntries: Int, problems: [AuditProblem]) {
        self.ledgerBalanced = ledgerBalanced
        self.orders = orders
        self.ledgerEntries = ledgerEntries
        self.problems = problems
    }

    /// Balanced, and nothing else wrong.
    public var isClean: Bool { ledgerBalanced && problems.isEmpty }

    /// Audits rows already read: `orders` in the order placed, `entries` in id order.
    /// The store reads them in one transaction (`SQLiteStore/audit()`); this part is
    /// pure so that it can be reasoned about (and tested) on its own.
    package init(
        orders: [AuditedOrder], entries: [AuditedEntry], redemptions: [CouponAudit.Redemption] = [],
        uploaded: [String: CouponAudit.StoredDiscount] = [:]
    ) {
        var transactions: [String: [AuditedEntry]] = [:]
        var transactionOrder: [String] = []
        for entry in entries {
            if transactions[entry.transactionId] == nil { transactionOrder.append(entry.transactionId) }
            transactions[entry.transactionId, default: []].append(entry)
        }
        let orderTransactions = Set(orders.map(\.transactionId))
        var problems: [AuditProblem] = []
        for id in transactionOrder {
            let legs = transactions[id] ?? []
            // Tampered amounts may be anything: a sum that leaves 64 bits is unbalanced, not a trap.
            var sums: [String: Int64] = [:]
            var overflowed: Set<String> = []
            for leg in legs {
                let (sum, overflow) = sums[leg.currency, default: 0].addingReportingOverflow(leg.amount)
                sums[leg.currency] = sum
                if overflow { overflowed.insert(leg.currency) }
            }
            let unbalanced = sums.filter { $0.value != 0 || overflowed.contains($0.key) }.sorted { $0.key < $1.key }
            if !unbalanced.isEmpty {
                let detail = unbalanced.map { currency, sum in
                    overflowed.contains(currency) ? "more than 64 bits of \(currency)" : "\(sum) \(currency)"
                }.joined(separator: ", ")
                problems.append(AuditProblem(.transactionUnbalanced, transactionId: id, detail: "entries sum to \(detail)"))
            }
            if !orderTransactions.contains(id) {
                problems.append(AuditProblem(.transactionWithoutOrder, transactionId: id, detail: "no order settles it"))
            }
        }
        for order in orders {
            problems += order.problems(legs: transactions[order.transactionId] ?? [])
        }
        problems += CouponAudit.problems(orders: orders, redemptions: redemptions, uploaded: uploaded)
        self.init(
            ledgerBalanced: !problems.contains { $0.kind == .transactionUnbalanced }, orders: orders.count,
            ledgerEntries: entries.count, problems: problems)
    }
}
