import CouponStore
import RobustMark
import Testing

/// The merchant's current robust key, as `coupon merchant login` would save it.
func currentRobustKey(of merchant: TestMerchant, in store: any CouponRepository) async throws -> RobustKey {
    try #require(try await store.robustKeys(merchantId: merchant.id).first(where: \.current)).key
}
