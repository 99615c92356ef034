public import CouponKit

/// A personal copy handed to a member (`coupon_copies`): which coupon, whose, the
/// robust identifier it carries and under which of the merchant's robust keys, and the
/// binding the server signed. The picture itself is not stored: it is made again from
/// the coupon's stored original and this binding (`CouponPersonaliser`).
public struct IssuedCopy: Sendable, Equatable {
    public var couponId: String
    public var merchantId: String
    public var memberId: String
    /// The copy's robust identifier, 16 lowercase hex digits (`CopyBinding.copyId`).
    public var copyId: String
    /// The merchant's robust key (``MerchantRobustKey/generation``) the copy is marked under.
    public var robustKeyGeneration: Int
    /// ISO 8601, UTC (``Timestamp``): the binding's issued-at.
    public var issuedAt: String
    /// The binding as the server signed it (`CopyBinding.encoded`).
    public var binding: [UInt8]

    public init(
        couponId: String, merchantId: String, memberId: String, copyId: String, robustKeyGeneration: Int,
        issuedAt: String, binding: [UInt8]
    ) {
        (self.couponId, self.merchantId, self.memberId, self.copyId) = (couponId, merchantId, memberId, copyId)
        (self.robustKeyGeneration, self.issuedAt, self.binding) = (robustKeyGeneration, issuedAt, binding)
    }

    /// The decoded binding (nil only for a row that was written corrupt).
    public var decodedBinding: CopyBinding? { try? CopyBinding(decoding: binding) }
}
