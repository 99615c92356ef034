import CouponKit

/// The coupon terms an order applied, as its `orders` row keeps them (migration "v7" on
/// SQLite, schema version 5 on PostgreSQL): the issuer, the discount (kind, value and,
/// for an amount, currency) and the limits. NULL throughout for an order without a coupon
/// and for the orders settled before these columns existed (the table is append-only).
/// `audit` recomputes the order's discount and counts the coupon's uses from them.
package struct AppliedCouponColumns: Sendable, Equatable {
    package var issuerId: String?
    package var discountKind: String?
    package var discountValue: Int64?
    package var discountCurrency: String?
    package var maxUsesTotal: Int64?
    package var maxUsesPerMember: Int64?

    package init(_ redemption: Settlement.Redemption?) {
        issuerId = redemption?.issuerId
        if let discount = redemption?.discount {
            let (kind, value, currency) = StoredRecord.columns(of: discount)
            (discountKind, discountValue, discountCurrency) = (kind, value, currency)
        }
        maxUsesTotal = redemption?.maxUsesTotal.map(Int64.init)
        maxUsesPerMember = redemption?.maxUsesPerMember.map(Int64.init)
    }

    package init(
        issuerId: String?, discountKind: String?, discountValue: Int64?, discountCurrency: String?,
        maxUsesTotal: Int64?, maxUsesPerMember: Int64?
    ) {
        (self.issuerId, self.discountKind, self.discountValue) = (issuerId, discountKind, discountValue)
        (self.discountCurrency, self.maxUsesTotal, self.maxUsesPerMember) = (discountCurrency, maxUsesTotal, maxUsesPerMember)
    }

    /// The column names, in the order the stores write them.
    package static let names = [
        "coupon_issuer_id", "coupon_discount_kind", "coupon_discount_value", "coupon_discount_currency",
        "coupon_max_uses_total", "coupon_max_uses_per_member",
    ]
}
