public import CouponKit
public import CouponReader
import CouponStore
public import ImageCore
import PNGCodec
public import RobustMark

/// What the order and upload rules need from a coupon that opened and verified.
public struct VerifiedCoupon: Sendable {
    public var terms: CouponTerms
    public var epoch: UInt32
    /// The visible artwork differs from what the issuer signed.
    public var tampered: Bool
    /// `epoch` is retired: the server no longer accepts coupons sealed under it.
    public var keyRetired: Bool
    /// A personal copy's binding, verified under one of the server's keys; nil for every
    /// other picture (and for a copy the robust layer named: the server's record of the
    /// copy says whose it is).
    public var binding: CopyBinding?

    public init(
        terms: CouponTerms, epoch: UInt32, tampered: Bool, keyRetired: Bool = false, binding: CopyBinding? = nil
    ) {
        (self.terms, self.epoch, self.tampered, self.keyRetired) = (terms, epoch, tampered, keyRetired)
        self.binding = binding
    }

    /// The fragile layer's reading; a binding counts only when it verified.
    public init(_ revealed: RevealedCoupon) {
        self.init(
            terms: revealed.terms, epoch: revealed.epoch, tampered: revealed.tampered,
            binding: revealed.bindingVerification == .valid ? revealed.binding : nil)
    }

    /// `CouponRules` for this coupon on a product priced in `currency`, whose merchant
    /// signs with `issuerId`, named by the picture's `layer`; `boundTo` the member its
    /// copy was issued to, `orderedBy` the member ordering.
    func checkRules(
        productId: String, currency: Currency, issuerId: String, use: CouponRules.Use, layer: CouponLayer = .fragile,
        boundTo: String? = nil, orderedBy: String? = nil
    ) throws(CouponRuleError) {
        try CouponRules.check(
            terms, keyRetired: keyRetired, tampered: tampered, productId: productId, currency: currency,
            issuerId: issuerId, use: use, layer: layer, boundTo: boundTo, orderedBy: orderedBy)
    }
}

/// What the server read from a picture (`CouponReading` with the original's terms as
/// the rules need them).
public enum PictureReading: Sendable {
    case original(VerifiedCoupon)
    case copy(RobustMatch)
    case unmarked(UnmarkedPicture)
}

/// Reads coupon pictures for the server: synchronous CPU work, run on the verification
/// pool. The server uses ``WatermarkCouponVerifier`` (the `CouponReader`); tests may
/// inject another to exercise the order rules without images.
public protocol CouponVerifier: Sendable {
    /// One picture, decoded once: the fragile layer, then the robust layer under
    /// `robustKeys` (not searched when nil: ``PictureReading/unmarked(_:)``).
    func read(_ bytes: [UInt8], keys: KeyRing, robustKeys: [RobustKey]?) throws(CouponFailure) -> PictureReading
    /// The robust layer of a picture `read(_:keys:robustKeys:)` left unmarked, on its pixels.
    func robust(_ unmarked: UnmarkedPicture, keys: [RobustKey]) throws(CouponFailure) -> RobustMatch
    /// An uploaded original: its fragile layer, and its robust layer under `robustKeys`
    /// on the same pixels.
    func readOriginal(
        _ png: [UInt8], keys: KeyRing, robustKeys: [RobustKey]
    ) throws(CouponFailure) -> (coupon: VerifiedCoupon, robust: RobustMatch?)
}

/// The real pipeline: `CouponReader` with the server's decode limits, which refuse a
/// picture whose header claims too many pixels (say 100000x100000) before any pixel
/// memory exists.
public struct WatermarkCouponVerifier: CouponVerifier {
    public let reader: CouponReader

    public init(limits: DecodeLimits = .default) {
        self.reader = CouponReader(limits: limits)
    }

    public func read(_ bytes: [UInt8], keys: KeyRing, robustKeys: [RobustKey]?) throws(CouponFailure) -> PictureReading {
        switch try reader.read(bytes, keys: keys, robustKeys: robustKeys) {
        case .original(let revealed):
            // A binding under a key this server's ring does not hold: forged, or signed by
            // a key rotated in on another instance (the ring is read again on this failure).
            if revealed.binding != nil, revealed.bindingVerification != .valid {
                throw .badSignature("the copy's binding is signed by no key of this server")
            }
            return .original(VerifiedCoupon(revealed))
        case .copy(let match): return .copy(match)
        case .unmarked(let unmarked): return .unmarked(unmarked)
        }
    }

    public func robust(_ unmarked: UnmarkedPicture, keys: [RobustKey]) throws(CouponFailure) -> RobustMatch {
        try reader.robust(unmarked, keys: keys)
    }

    public func readOriginal(
        _ png: [UInt8], keys: KeyRing, robustKeys: [RobustKey]
    ) throws(CouponFailure) -> (coupon: VerifiedCoupon, robust: RobustMatch?) {
        let (revealed, robust) = try reader.readOriginal(png, keys: keys, robustKeys: robustKeys)
        return (VerifiedCoupon(revealed), robust)
    }
}
