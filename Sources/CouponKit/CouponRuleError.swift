/// A coupon that opened and verified but may not be used here, by one rule of
/// ``CouponRules``.
public enum CouponRuleError: ReasonCoded, Equatable, Sendable, CustomStringConvertible {
    /// Sealed under a reveal-key epoch the server has retired.
    case keyRetired
    case tampered
    case notYetValid
    case expired
    case wrongProduct
    /// Signed by an issuer other than the product's merchant.
    case foreignIssuer
    case currencyMismatch
    /// A copy identified only by its robust layer, of a coupon whose terms are
    /// ``CouponTerms/fragileOnly``.
    case degraded
    /// A personal coupon's copy bound to another member than the one ordering.
    case notYours
    /// A personal coupon's picture bound to no member.
    case notPersonalised

    public var reasonCode: ReasonCode {
        switch self {
        case .keyRetired: .couponKeyRetired
        case .tampered: .couponTampered
        case .notYetValid: .couponNotYetValid
        case .expired: .couponExpired
        case .wrongProduct: .couponWrongProduct
        case .foreignIssuer: .couponBadSignature
        case .currencyMismatch: .couponCurrencyMismatch
        case .degraded: .couponDegraded
        case .notYours: .couponNotYours
        case .notPersonalised: .couponNotPersonalised
        }
    }

    public var description: String {
        switch self {
        case .keyRetired: "the coupon is sealed under a retired reveal-key epoch"
        case .tampered: "the coupon's artwork was edited after minting"
        case .notYetValid: "the coupon is not valid yet"
        case .expired: "the coupon has expired"
        case .wrongProduct: "the coupon is for another product"
        case .foreignIssuer: "the coupon is not signed by this product's merchant"
        case .currencyMismatch: "the coupon's amount is in another currency than the product's price"
        case .degraded: "this coupon is accepted only as its original picture, not as a copy (send the PNG as minted)"
        case .notYours: "this personal coupon was issued to another member: ask for your own copy"
        case .notPersonalised: "this personal coupon is accepted only as a member's own copy: ask for yours"
        }
    }
}
