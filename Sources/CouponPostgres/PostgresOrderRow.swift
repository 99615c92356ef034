import CouponKit
import CouponStore
import Foundation

/// An `orders` row as `settle_order` takes it: a JSON object keyed by column name, which
/// the function inserts whole (`PostgresSchema.version2`). A new column of `orders` is a
/// new property here (a nil value leaves its key out: NULL), and no new version of the
/// function.
///
/// Encoded with `JSONEncoder` from this struct, not with `JSONSerialization` from a
/// dictionary: every order builds one, and the dictionary's boxing, dynamic casts and
/// key sorting (`NSString` comparisons) cost some 0.2 ms of the server's CPU per order,
/// about 6 % of it under the load of `tools/load`; the struct's keys come out in one fixed
/// order without sorting.
struct PostgresOrderRow: Encodable {
    let id: String
    let memberId: String
    let productId: String
    let merchantId: String
    let quantity: Int64
    let listAmount: Int64
    let discountAmount: Int64
    let totalAmount: Int64
    let currency: String
    let couponSerial: String?
    let paymentId: String
    let transactionId: String
    let createdAt: String
    let couponLayer: String?

    /// The column names.
    enum CodingKeys: String, CodingKey {
        case id, quantity, currency
        case memberId = "member_id", productId = "product_id", merchantId = "merchant_id"
        case listAmount = "list_amount", discountAmount = "discount_amount", totalAmount = "total_amount"
        case couponSerial = "coupon_serial", paymentId = "payment_id", transactionId = "transaction_id"
        case createdAt = "created_at", couponLayer = "coupon_layer"
    }

    init(_ order: Order) {
        (id, memberId, productId, merchantId) = (order.id, order.memberId, order.productId, order.merchantId)
        quantity = Int64(order.quantity)
        (listAmount, discountAmount, totalAmount) = (order.listTotal.amount, order.discount.amount, order.total.amount)
        currency = order.total.currency.code
        (couponSerial, paymentId, transactionId) = (order.couponSerial, order.paymentId, order.transactionId)
        createdAt = order.createdAt
        couponLayer = order.couponLayer?.rawValue
    }

    /// The JSON text to bind as `p_order` (nil properties are left out: the synthesized
    /// encoding skips them).
    func json() throws -> String {
        String(decoding: try Self.encoder.encode(self), as: UTF8.self)
    }

    private static let encoder = JSONEncoder()
}
