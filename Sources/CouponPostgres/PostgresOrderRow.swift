import CouponKit
import CouponStore
import Foundation

/// An `orders` row as `settle_order` takes it: a JSON object keyed by column name
/// (the properties in snake case), which the function inserts whole
/// (`PostgresSchema.version2`). A new column of `orders` is a new property here, named
/// as the column in camel case (a nil optional leaves its key out: NULL), and no new
/// version of the function.
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

    init(_ order: Order) {
        id = order.id
        memberId = order.memberId
        productId = order.productId
        merchantId = order.merchantId
        quantity = Int64(order.quantity)
        listAmount = order.listTotal.amount
        discountAmount = order.discount.amount
        totalAmount = order.total.amount
        currency = order.total.currency.code
        couponSerial = order.couponSerial
        paymentId = order.paymentId
        transactionId = order.transactionId
        createdAt = order.createdAt
        couponLayer = order.couponLayer?.rawValue
    }

    /// The JSON text to bind as `p_order`.
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
