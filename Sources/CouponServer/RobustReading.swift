import CouponKit
import CouponStore

/// What the robust layer of a picture said: the identifier, and the merchant key it was
/// read under. A copy names a stored coupon only together with that key
/// (`RobustKeyRepository/coupon(robustId:merchantId:generation:)`).
struct RobustReading: Sendable {
    let key: MerchantRobustKey
    /// 16 lowercase hex digits (`StoredCoupon/robustId`).
    let id: String

    init(key: MerchantRobustKey, id: UInt64) {
        self.key = key
        self.id = CouponRobustIdentity.hex(id)
    }
}
