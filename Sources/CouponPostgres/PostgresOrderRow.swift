import CouponKit
import CouponStore
import Foundation

/// An `orders` row as `settle_order` takes it: a JSON object keyed by column name, which
/// the function inserts whole (`PostgresSchema.version2`). A new column of `orders` is a
/// new key here (a nil value leaves its key out: NULL), and no new version of the
/// function.
struct PostgresOrderRow {
    let order: Order

    init(_ order: Order) {
        self.order = order
    }

    /// Every column but `seq`, by name.
    var columns: [String: Any] {
        let values: [String: Any?] = [
            "id": order.id, "member_id": order.memberId, "product_id": order.productId,
            "merchant_id": order.merchantId, "quantity": Int64(order.quantity), "list_amount": order.listTotal.amount,
            "discount_amount": order.discount.amount, "total_amount": order.total.amount,
            "currency": order.total.currency.code, "coupon_serial": order.couponSerial, "payment_id": order.paymentId,
            "transaction_id": order.transactionId, "created_at": order.createdAt,
            "coupon_layer": order.couponLayer?.rawValue,
        ]
        return values.compactMapValues { $0 }
    }

    /// The JSON text to bind as `p_order`.
    func json() throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: columns, options: [.sortedKeys]), as: UTF8.self)
    }
}
