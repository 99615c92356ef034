/// Domain errors of the server's own rules. They say what went wrong, never how HTTP
/// shows it: ``Problem/init(_:)`` maps every error to problem+json in one place.

/// Who is asking, and whether they may.
enum AuthError: Error, Equatable {
    /// No `Authorization: Bearer ...` header, or a malformed one.
    case unauthenticated
    /// A token that is unknown or revoked (logged out, rotated).
    case invalidToken
    /// A member route called with a token that is not a member's (merchant, unknown, revoked).
    case notAMember
    /// A merchant route (or a route for members and merchants) with a token that may not use it.
    case forbidden(String)
}

/// A request that cannot be parsed or carries invalid values.
enum RequestError: Error, Equatable {
    /// Not parseable: malformed JSON, wrong types, unknown fields, missing header (400).
    case malformed(String)
    /// Parsed, but a value is out of range (422).
    case invalidValue(String)
    /// The body is larger than the configured limit; `closing`: it was not read to its
    /// end, so the connection is closed after the answer.
    case tooLarge(limit: Int, closing: Bool = false)
}

enum MembershipError: Error, Equatable {
    case invalid(String)
}

enum CatalogError: Error, Equatable {
    case productNotFound(String)
    case couponNotFound(String)
    /// The product exists, but the catalog has no coupon of it to hand out.
    case noCoupon(String)
    /// No coupon can carry this serial (it breaks the serial rule), so none is revoked.
    case serialNotFound(String)
    /// A picture's layer was read, but names no coupon stored here.
    case unknownPicture
}

enum IdempotencyError: Error, Equatable {
    case conflict
}
