public import CouponKit

/// How the server serves each reason: the problem+json's HTTP status, title and type URI.
extension ReasonCode {
    /// The HTTP status a problem with this code is usually served with. `invalid_request`
    /// is 400 for requests that cannot be parsed and 422 for well-formed but invalid
    /// values (the server's error carries that choice).
    public var httpStatus: Int {
        switch self {
        case .unauthenticated: 401
        case .forbidden, .notAMember: 403
        case .invalidRequest: 400
        case .payloadTooLarge: 413
        case .productNotFound, .couponNotFound, .noCoupon, .notFound, .copyNotTraceable: 404
        case .methodNotAllowed: 405
        case .unsupportedMediaType: 415
        case .memberExists, .couponExists: 409
        case .rateLimited: 429
        case .internalError: 500
        case .serverBusy, .databaseUnavailable: 503
        case .invalidMember, .couponUnreadable, .couponTooLarge, .couponKeyRetired, .couponRevoked, .couponUnknownEpoch, .couponBadSeal, .couponBadSignature,
            .couponTampered, .couponNotYetValid, .couponExpired, .couponWrongProduct, .couponExhausted,
            .couponCurrencyMismatch, .couponDegraded, .couponNotYours, .couponNotPersonalised, .idempotencyConflict:
            422
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
        case .noCoupon: "No coupon to hand out"
        case .memberExists: "Member already exists"
        case .invalidMember: "Invalid member"
        case .couponUnreadable: "Coupon unreadable"
        case .couponTooLarge: "Coupon image too large"
        case .couponKeyRetired: "Coupon sealed with a retired key epoch"
        case .couponRevoked: "Coupon revoked by its merchant"
        case .couponExists: "Coupon already uploaded"
        case .rateLimited: "Too many requests"
        case .serverBusy: "Server busy"
        case .databaseUnavailable: "Database unavailable"
        case .couponUnknownEpoch: "Coupon sealed with an unknown key epoch"
        case .couponBadSeal: "Coupon seal does not open"
        case .couponBadSignature: "Coupon signature invalid"
        case .couponTampered: "Coupon artwork tampered"
        case .couponNotYetValid: "Coupon not yet valid"
        case .couponExpired: "Coupon expired"
        case .couponWrongProduct: "Coupon is for another product"
        case .couponExhausted: "Coupon redemption limit reached"
        case .couponCurrencyMismatch: "Coupon currency differs from the product's"
        case .couponDegraded: "Only the original coupon picture is accepted"
        case .couponNotYours: "Coupon issued to another member"
        case .couponNotPersonalised: "Personal coupon without a member's copy"
        case .copyNotTraceable: "No personal copy found in the picture"
        case .idempotencyConflict: "Idempotency key reused with a different request"
        case .notFound: "Not found"
        case .methodNotAllowed: "Method not allowed"
        case .unsupportedMediaType: "Unsupported media type"
        case .internalError: "Internal server error"
        }
    }

    /// `https://couponmark.example/problems/<code>`.
    public var typeURI: String { "https://couponmark.example/problems/\(rawValue)" }
}
