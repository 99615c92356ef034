public import CouponKit

/// What an order needs of a product: its price and whose it is, with the issuer id
/// its merchant signs coupons with. None of it changes once the product exists (no route
/// edits or deletes a product, and a merchant keeps its issuer key), so a server may
/// keep it as long as it likes.
public struct ProductPricing: Sendable, Equatable {
    public var productId: String
    public var merchantId: String
    public var issuerId: String
    public var price: Money

    public init(productId: String, merchantId: String, issuerId: String, price: Money) {
        (self.productId, self.merchantId, self.issuerId, self.price) = (productId, merchantId, issuerId, price)
    }
}
