import PNGCodec

/// Why a coupon image was refused, one case per reason code of the API
/// (`coupon_unreadable`, `coupon_unknown_epoch`, ...). Never carries key material.
public enum CouponFailure: ReasonCoded, Equatable, Sendable, CustomStringConvertible {
    /// Not a PNG, a damaged PNG, or no watermark found.
    case unreadable(Unreadable)
    /// The watermark (or seal) names a key epoch that is not held.
    case unknownEpoch(UInt32)
    /// The reveal key does not open it: wrong key, or the sealed bytes were changed.
    case badSeal
    /// The signature does not verify, or the issuer is not known.
    case badSignature(String)

    public var reasonCode: ReasonCode {
        switch self {
        case .unreadable(.tooLarge), .unreadable(.png(.tooLarge(_, _, _))): .couponTooLarge
        case .unreadable: .couponUnreadable
        case .unknownEpoch: .couponUnknownEpoch
        case .badSeal: .couponBadSeal
        case .badSignature: .couponBadSignature
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let why): "coupon unreadable: \(why)"
        case .unknownEpoch(let epoch): "coupon sealed with reveal-key epoch \(epoch), which is not held"
        case .badSeal: "the reveal key does not open this coupon"
        case .badSignature(let why): "coupon signature invalid: \(why)"
        }
    }
}
