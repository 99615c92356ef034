/// One thing `SQLiteStore/audit()` found wrong. `coupon-server audit --json` prints
/// it as `{"kind","transaction_id","order_id","detail"}` (`order_id` null for a
/// transaction problem).
public struct AuditProblem: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A ledger transaction's entries do not sum to zero (in some currency).
        case transactionUnbalanced = "transaction_unbalanced"
        /// A ledger transaction that no order names.
        case transactionWithoutOrder = "transaction_without_order"
        /// An order's ledger entries are not exactly its two legs: `member:<id>` pays
        /// `-total` and `merchant:<id>` receives `+total`, in the order's currency.
        case ledgerMismatch = "ledger_mismatch"
        /// `discount < 0` or `discount > list_total`.
        case discountOutOfRange = "discount_out_of_range"
        /// `total != list_total - discount`.
        case totalMismatch = "total_mismatch"
        /// An order with a coupon without exactly one redemption of it (or one without a
        /// coupon with any), or a redemption that names no order.
        case redemptionMismatch = "redemption_mismatch"
        /// The discount is not the coupon's terms applied to the list total.
        case discountMismatch = "discount_mismatch"
        /// The coupon was redeemed more often than its limits allow (in total, or by one member).
        case limitExceeded = "limit_exceeded"
    }

    public var kind: Kind
    /// The order concerned; nil for a problem of a transaction alone.
    public var orderId: String?
    /// The ledger transaction concerned (an order's own, for an order problem).
    public var transactionId: String
    /// What is wrong, in words, with the amounts (minor units).
    public var detail: String

    public init(_ kind: Kind, orderId: String? = nil, transactionId: String, detail: String) {
        self.kind = kind
        self.orderId = orderId
        self.transactionId = transactionId
        self.detail = detail
    }
}
