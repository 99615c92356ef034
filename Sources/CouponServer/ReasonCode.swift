public import HTTPTypes

/// The API's stable, machine-readable reasons (`code` of every problem+json), with the
/// HTTP status and title each one is served with. openapi.yaml lists them; `not_found` and
/// `internal_error` are extensions for unknown routes and server faults.
public enum ReasonCode: String, Sendable, CaseIterable {
    case unauthenticated, forbidden
    case notAMember = "not_a_member"
    case invalidRequest = "invalid_request"
    case payloadTooLarge = "payload_too_large"
    case productNotFound = "product_not_found"
    case couponNotFound = "coupon_not_found"
    case memberExists = "member_exists"
    case invalidMember = "invalid_member"
    case couponUnreadable = "coupon_unreadable"
    case couponUnknownEpoch = "coupon_unknown_epoch"
    case couponBadSeal = "coupon_bad_seal"
    case couponBadSignature = "coupon_bad_signature"
    case couponTampered = "coupon_tampered"
    case couponNotYetValid = "coupon_not_yet_valid"
    case couponExpired = "coupon_expired"
    case couponWrongProduct = "coupon_wrong_product"
    case couponExhausted = "coupon_exhausted"
    case couponCurrencyMismatch = "coupon_currency_mismatch"
    case idempotencyConflict = "idempotency_conflict"
    case notFound = "not_found"
    case internalError = "internal_error"

    /// The status a problem with this code is usually served with. `invalid_request` is
    /// 400 for requests that cannot be parsed and 422 for well-formed but invalid values
    /// (the error carries that choice).
    public var status: HTTPResponse.Status {
        switch self {
        case .unauthenticated: .unauthorized
        case .forbidden, .notAMember: .forbidden
        case .invalidRequest: .badRequest
        case .payloadTooLarge: .contentTooLarge
        case .productNotFound, .couponNotFound, .notFound: .notFound
        case .memberExists: .conflict
        case .internalError: .internalServerError
        case .invalidMember, .couponUnreadable, .couponUnknownEpoch, .couponBadSeal, .couponBadSignature,
            .couponTampered, .couponNotYetValid, .couponExpired, .couponWrongProduct, .couponExhausted,
            .couponCurrencyMismatch, .idempotencyConflict:
            .unprocessableContent
        }
    }

    public var title: String {
        switch self {
        case .unauthenticated: "Authentication required"
        case .forbidden: "Not allowed for this token"
        case .notAMember: "Members only"
        case .invalidRequest: "Invalid request"
        case .payloadTooLarge: "Request body too large"
        case .productNotFound: "Product not found"
        case .couponNotFound: "Coupon not found"
        case .memberExists: "Member already exists"
        case .invalidMember: "Invalid member"
        case .couponUnreadable: "Coupon unreadable"
        case .couponUnknownEpoch: "Coupon sealed with an unknown key epoch"
        case .couponBadSeal: "Coupon seal does not open"
        case .couponBadSignature: "Coupon signature invalid"
        case .couponTampered: "Coupon artwork tampered"
        case .couponNotYetValid: "Coupon not yet valid"
        case .couponExpired: "Coupon expired"
        case .couponWrongProduct: "Coupon is for another product"
        case .couponExhausted: "Coupon redemption limit reached"
        case .couponCurrencyMismatch: "Coupon currency differs from the product's"
        case .idempotencyConflict: "Idempotency key reused with a different request"
        case .notFound: "Not found"
        case .internalError: "Internal server error"
        }
    }

    /// `https://couponmark.example/problems/<code>`.
    public var typeURI: String { "https://couponmark.example/problems/\(rawValue)" }
}
