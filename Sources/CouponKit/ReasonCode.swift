/// The API's stable, machine-readable reasons: the `code` of every problem+json the
/// server sends, with the HTTP status and title it is served with and the exit code the
/// `coupon` CLI ends with when the server (or a local reveal) refuses for that reason.
///
/// This is the one table of reasons: ``CouponFailure`` and ``CouponRuleError`` name
/// their code here, the server's problem+json reads status and title from it, and the
/// client maps a received `code` back through `ReasonCode(rawValue:)`. `openapi.yaml`
/// lists the same strings, and a test holds the two to each other.
public enum ReasonCode: String, Sendable, CaseIterable {
    case unauthenticated, forbidden
    case notAMember = "not_a_member"
    case invalidRequest = "invalid_request"
    case payloadTooLarge = "payload_too_large"
    case productNotFound = "product_not_found"
    case couponNotFound = "coupon_not_found"
    /// The catalog has no coupon to hand out for this product: none listed, or each one
    /// listed is revoked or sealed under a retired epoch.
    case noCoupon = "no_coupon"
    case memberExists = "member_exists"
    case invalidMember = "invalid_member"
    case couponUnreadable = "coupon_unreadable"
    case couponTooLarge = "coupon_too_large"
    case couponUnknownEpoch = "coupon_unknown_epoch"
    case couponBadSeal = "coupon_bad_seal"
    case couponBadSignature = "coupon_bad_signature"
    case couponTampered = "coupon_tampered"
    case couponNotYetValid = "coupon_not_yet_valid"
    case couponExpired = "coupon_expired"
    case couponWrongProduct = "coupon_wrong_product"
    case couponExhausted = "coupon_exhausted"
    case couponKeyRetired = "coupon_key_retired"
    case couponRevoked = "coupon_revoked"
    case couponExists = "coupon_exists"
    case couponCurrencyMismatch = "coupon_currency_mismatch"
    case couponDegraded = "coupon_degraded"
    case idempotencyConflict = "idempotency_conflict"
    case notFound = "not_found"
    case methodNotAllowed = "method_not_allowed"
    case unsupportedMediaType = "unsupported_media_type"
    case rateLimited = "rate_limited"
    case serverBusy = "server_busy"
    case databaseUnavailable = "database_unavailable"
    case internalError = "internal_error"

    /// The HTTP status a problem with this code is usually served with. `invalid_request`
    /// is 400 for requests that cannot be parsed and 422 for well-formed but invalid
    /// values (the server's error carries that choice).
    public var httpStatus: Int {
        switch self {
        case .unauthenticated: 401
        case .forbidden, .notAMember: 403
        case .invalidRequest: 400
        case .payloadTooLarge: 413
        case .productNotFound, .couponNotFound, .noCoupon, .notFound: 404
        case .methodNotAllowed: 405
        case .unsupportedMediaType: 415
        case .memberExists, .couponExists: 409
        case .rateLimited: 429
        case .internalError: 500
        case .serverBusy, .databaseUnavailable: 503
        case .invalidMember, .couponUnreadable, .couponTooLarge, .couponKeyRetired, .couponRevoked, .couponUnknownEpoch, .couponBadSeal, .couponBadSignature,
            .couponTampered, .couponNotYetValid, .couponExpired, .couponWrongProduct, .couponExhausted,
            .couponCurrencyMismatch, .couponDegraded, .idempotencyConflict:
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
        case .idempotencyConflict: "Idempotency key reused with a different request"
        case .notFound: "Not found"
        case .methodNotAllowed: "Method not allowed"
        case .unsupportedMediaType: "Unsupported media type"
        case .internalError: "Internal server error"
        }
    }

    /// The `coupon` CLI's exit code for this reason: 3 unreadable (not a PNG, no
    /// watermark, over the pixel limit), 4 wrong key (unknown epoch, seal does not open),
    /// 5 bad signature, 6 tampered, 2 a server fault, a busy server or its database down
    /// (try again), 7 any
    /// other refusal. The exit-code table of README.md (Exit codes)
    /// lists the same numbers.
    public var exitCode: Int32 {
        switch self {
        case .couponUnreadable, .couponTooLarge: 3
        case .couponUnknownEpoch, .couponBadSeal: 4
        case .couponBadSignature: 5
        case .couponTampered: 6
        case .internalError, .serverBusy, .databaseUnavailable: 2
        default: 7
        }
    }

    /// `https://couponmark.example/problems/<code>`.
    public var typeURI: String { "https://couponmark.example/problems/\(rawValue)" }
}

/// An error that names its own reason code, so that the HTTP and CLI edges map it
/// without a table of their own.
public protocol ReasonCoded: Error {
    var reasonCode: ReasonCode { get }
}
