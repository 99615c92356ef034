/// One of a merchant's uploaded coupons as the merchant's dashboard lists it
/// (``MerchantDashboardRepository/merchantCoupons(merchantId:limit:)``): what it is, which
/// product it belongs to, how often it was redeemed and whether it was revoked, without
/// its picture.
public struct MerchantCouponSummary: Sendable, Equatable {
    /// The stored coupon's id (``StoredCoupon/id``).
    public var id: String
    public var serial: String
    public var title: String
    public var productId: String
    public var productName: String
    /// Settled orders that redeemed this serial (redemptions of this merchant's issuer + serial).
    public var uses: Int
    /// When the serial was revoked (the timestamp string the store keeps), nil if not.
    public var revokedAt: String?
    /// When it was uploaded: ISO 8601, UTC (``Timestamp``).
    public var createdAt: String

    public init(
        id: String, serial: String, title: String, productId: String, productName: String, uses: Int,
        revokedAt: String?, createdAt: String
    ) {
        (self.id, self.serial, self.title, self.productId) = (id, serial, title, productId)
        (self.productName, self.uses, self.revokedAt, self.createdAt) = (productName, uses, revokedAt, createdAt)
    }
}
