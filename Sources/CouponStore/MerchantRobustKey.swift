public import CouponKit
public import RobustMark

/// One of a merchant's robust-layer keys (`merchant_robust_keys`).
///
/// Every merchant has its own keys, so a picture marked under one merchant's key is never
/// read as another merchant's coupon: orders read a copy only under the keys of the
/// ordered product's merchant. Generations count up from 1 per merchant; the newest is
/// the ``current`` key (minting, `GET /v1/keys`'s `robust_key`). Older keys stay
/// readable, for copies of coupons minted under them, until retired
/// (`coupon-server merchant retire-robust-keys`).
///
/// A database migrated from the single shared key (SQLite "v6", PostgreSQL version 4)
/// gives every merchant that existed then the shared key as generation 1, with
/// ``derivation`` `CouponRobustIdentity.Derivation.v1`: the coupons uploaded before
/// stay readable under it, and no coupon uploaded since is ever recorded under it (the
/// upload counts only keys of derivation v2). Every merchant can read v1 keys' copies of
/// its own old coupons, but so could every other holder of the shared key forge them,
/// which is why the merchant should retire them once those coupons have run out.
public struct MerchantRobustKey: Sendable {
    public var merchantId: String
    public var generation: Int
    public var key: RobustKey
    /// How coupons recorded under this key derive their identifier.
    public var derivation: CouponRobustIdentity.Derivation
    public var createdAt: String
    /// When it stopped being read; nil while it is readable.
    public var retiredAt: String?
    /// The newest generation of the merchant: the one new coupons are minted under.
    public var current: Bool

    public init(
        merchantId: String, generation: Int, key: RobustKey, derivation: CouponRobustIdentity.Derivation,
        createdAt: String, retiredAt: String?, current: Bool
    ) {
        (self.merchantId, self.generation, self.key, self.derivation) = (merchantId, generation, key, derivation)
        (self.createdAt, self.retiredAt, self.current) = (createdAt, retiredAt, current)
    }

    /// Whether copies are still read under it.
    public var readable: Bool { retiredAt == nil }
}
