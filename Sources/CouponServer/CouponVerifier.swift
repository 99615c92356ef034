public import CouponKit
import CouponStore
public import PNGCodec

/// What the order and upload rules need from a coupon that opened and verified.
public struct VerifiedCoupon: Sendable {
    public var terms: CouponTerms
    public var epoch: UInt32
    /// The visible artwork differs from what the issuer signed.
    public var tampered: Bool
    /// ``epoch`` is retired: the server no longer accepts coupons sealed under it.
    public var keyRetired: Bool

    public init(terms: CouponTerms, epoch: UInt32, tampered: Bool, keyRetired: Bool = false) {
        (self.terms, self.epoch, self.tampered, self.keyRetired) = (terms, epoch, tampered, keyRetired)
    }

    /// ``CouponRules`` for this coupon on a product priced in `currency`, whose merchant
    /// signs with `issuerId`, named by the picture's `layer`.
    func checkRules(
        productId: String, currency: Currency, issuerId: String, use: CouponRules.Use, layer: CouponLayer = .fragile
    ) throws(CouponRuleError) {
        try CouponRules.check(
            terms, keyRetired: keyRetired, tampered: tampered, productId: productId, currency: currency,
            issuerId: issuerId, use: use, layer: layer)
    }
}

/// Opens and verifies coupon PNGs. The server uses ``WatermarkCouponVerifier``; tests
/// may inject another to exercise the order rules without images.
public protocol CouponVerifier: Sendable {
    func verify(png: [UInt8], keys: KeyRing) throws(CouponFailure) -> VerifiedCoupon
}

/// The real pipeline: `CouponRevealer` with the server's decode limits, which refuse a
/// PNG whose header claims too many pixels (say 100000x100000) before any pixel memory
/// exists, then extract, open and verify.
public struct WatermarkCouponVerifier: CouponVerifier {
    public var limits: DecodeLimits

    public init(limits: DecodeLimits = .default) {
        self.limits = limits
    }

    public func verify(png: [UInt8], keys: KeyRing) throws(CouponFailure) -> VerifiedCoupon {
        let revealed = try CouponRevealer(keys: keys, limits: limits).reveal(png: png)
        return VerifiedCoupon(terms: revealed.terms, epoch: revealed.epoch, tampered: revealed.tampered)
    }
}
