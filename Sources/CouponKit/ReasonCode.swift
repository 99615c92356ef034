/// The API's stable, machine-readable reasons: the `code` of every problem+json the
/// server sends, and what the `coupon` CLI reports when the server (or a local reveal)
/// refuses for that reason.
///
/// This is the one table of reasons, code and meaning: ``CouponFailure`` and
/// ``CouponRuleError`` name their code here, and the client maps a received `code` back
/// through `ReasonCode(rawValue:)`. How each edge shows a reason is that edge's own
/// business, in an extension beside it: the HTTP status, problem title and type URI in
/// `CouponServer` (`ReasonCode+HTTP.swift`), the exit code in `CouponCLI`
/// (`ReasonCode+ExitCode.swift`). `openapi.yaml` lists the same strings, and a test holds
/// the two to each other.
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
    /// A personal coupon's copy bound to another member.
    case couponNotYours = "coupon_not_yours"
    /// A personal coupon's picture without a binding to a member (the merchant's original).
    case couponNotPersonalised = "coupon_not_personalised"
    /// `POST /v1/merchant/trace`: the picture is no personal copy of this merchant's.
    case copyNotTraceable = "copy_not_traceable"
    case idempotencyConflict = "idempotency_conflict"
    case notFound = "not_found"
    case methodNotAllowed = "method_not_allowed"
    case unsupportedMediaType = "unsupported_media_type"
    case rateLimited = "rate_limited"
    case serverBusy = "server_busy"
    case databaseUnavailable = "database_unavailable"
    case internalError = "internal_error"
}

/// An error that names its own reason code, so that the HTTP and CLI edges map it
/// without a table of their own.
public protocol ReasonCoded: Error {
    var reasonCode: ReasonCode { get }
}
