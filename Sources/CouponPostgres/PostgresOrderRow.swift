import CouponKit
import CouponStore
import Foundation

/// An `orders` row as `settle_order` takes it: a JSON object keyed by column name, which
/// the function inserts whole (`PostgresSchema.version2`). A new column of `orders` is a
/// new key here (a nil value leaves its key out: NULL), and no new version of the
/// function.
///
/// Encoded with `JSONEncoder` straight from the order, not with `JSONSerialization` from a
/// dictionary: every order builds one, and the dictionary's boxing, dynamic casts and
/// key sorting (`NSString` comparisons) cost some 0.2 ms of the server's CPU per order,
/// about 6 % of it under the load of `tools/load`; these keys come out in one fixed order
/// without sorting.
struct PostgresOrderRow: Encodable {
    let order: Order
    let applied: AppliedCouponColumns

    init(_ order: Order, redemption: Settlement.Redemption? = nil) {
        self.order = order
        self.applied = AppliedCouponColumns(redemption)
    }

    /// The column names.
    enum CodingKeys: String, CodingKey {
        case id, quantity, currency
        case memberId = "member_id", productId = "product_id", merchantId = "merchant_id"
        case listAmount = "list_amount", discountAmount = "discount_amount", totalAmount = "total_amount"
        case couponSerial = "coupon_serial", paymentId = "payment_id", transactionId = "transaction_id"
        case createdAt = "created_at", couponLayer = "coupon_layer"
        case couponIssuerId = "coupon_issuer_id", couponDiscountKind = "coupon_discount_kind"
        case couponDiscountValue = "coupon_discount_value", couponDiscountCurrency = "coupon_discount_currency"
        case couponMaxUsesTotal = "coupon_max_uses_total", couponMaxUsesPerMember = "coupon_max_uses_per_member"
    }

    func encode(to encoder: any Encoder) throws {
        var row = encoder.container(keyedBy: CodingKeys.self)
        for (key, text) in [
            (CodingKeys.id, order.id), (.memberId, order.memberId), (.productId, order.productId),
            (.merchantId, order.merchantId), (.currency, order.total.currency.code), (.paymentId, order.paymentId),
            (.transactionId, order.transactionId), (.createdAt, order.createdAt),
        ] {
            try row.encode(text, forKey: key)
        }
        for (key, amount) in [
            (CodingKeys.quantity, Int64(order.quantity)), (.listAmount, order.listTotal.amount),
            (.discountAmount, order.discount.amount), (.totalAmount, order.total.amount),
        ] {
            try row.encode(amount, forKey: key)
        }
        try row.encodeIfPresent(order.couponSerial, forKey: .couponSerial)
        try row.encodeIfPresent(order.couponLayer?.rawValue, forKey: .couponLayer)
        try row.encodeIfPresent(applied.issuerId, forKey: .couponIssuerId)
        try row.encodeIfPresent(applied.discountKind, forKey: .couponDiscountKind)
        try row.encodeIfPresent(applied.discountValue, forKey: .couponDiscountValue)
        try row.encodeIfPresent(applied.discountCurrency, forKey: .couponDiscountCurrency)
        try row.encodeIfPresent(applied.maxUsesTotal, forKey: .couponMaxUsesTotal)
        try row.encodeIfPresent(applied.maxUsesPerMember, forKey: .couponMaxUsesPerMember)
    }

    /// The JSON text to bind as `p_order`.
    func json() throws -> String {
        String(decoding: try Self.encoder.encode(self), as: UTF8.self)
    }

    private static let encoder = JSONEncoder()
}
