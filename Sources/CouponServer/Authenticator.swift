import CouponStore
import HTTPTypes
import OpenAPIRuntime

/// Resolves `Authorization: Bearer <token>` to a principal by the token's SHA-256 (the
/// only form stored), for the operations the document marks with `security: bearer`,
/// before their request is decoded (so a missing token is 401 whatever the body).
///
/// A missing or malformed header, or a token that is unknown or revoked (logged out,
/// rotated), is `unauthenticated`; a valid token that does not fit the route is
/// `not_a_member` (member routes) or `forbidden` (others). The handler reads
/// the caller from `Caller/current`: the generated server hands it only the decoded
/// input, and the document does not list `Authorization` among the parameters.
struct Authenticator<Repository: TokenRepository>: ServerMiddleware {
    let repository: Repository

    /// Who may call each secured operation, by operation id.
    enum Audience {
        case members, merchants, anyone
        /// Anyone, a token optional (`security: [{}, bearer: []]`): without one the handler
        /// runs with no caller; one that is sent must be valid, and the handler decides what
        /// each caller gets (a personal coupon's copy: members only).
        case optional
    }

    /// The audience of a secured operation, nil for public ones (a switch: this runs on
    /// every request, and a generic type cannot keep a dictionary in a static `let`).
    static func audience(of operationID: String) -> Audience? {
        switch operationID {
        case "getKeys", "identifyCoupon": .anyone
        case "getProductCoupon": .optional
        case "getMember", "getHistory", "createOrder", "deleteMemberToken": .members
        case "createProduct", "uploadCoupon", "listMerchantOrders", "revokeCoupon", "traceCopy", "listMerchantCoupons":
            .merchants
        default: nil
        }
    }

    /// Tokens are ~55 characters; anything far longer is not ours and is not hashed.
    static var maxTokenLength: Int { 512 }

    static func bearerToken(_ request: HTTPRequest) -> String? {
        guard let header = request.headerFields[.authorization] else { return nil }
        let parts = header.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer", parts[1].utf8.count <= maxTokenLength else {
            return nil
        }
        return String(parts[1])
    }

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String, next: MiddlewareNext
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let audience = Self.audience(of: operationID) else { return try await next(request, body, metadata) }
        if audience == .optional, request.headerFields[.authorization] == nil {
            return try await next(request, body, metadata)
        }
        guard let token = Self.bearerToken(request) else { throw AuthError.unauthenticated }
        let hash = AccessToken.hash(token)
        guard let principal = try await repository.principal(tokenHash: hash) else {
            throw AuthError.invalidToken
        }
        switch (audience, principal) {
        case (.members, .member), (.merchants, .merchant), (.anyone, _), (.optional, _): break
        case (.members, .merchant): throw AuthError.notAMember
        case (.merchants, .member): throw AuthError.forbidden("this route is for merchants; the token is a member's")
        }
        return try await Caller.$current.withValue(principal) {
            try await Caller.$tokenHash.withValue(hash) { try await next(request, body, metadata) }
        }
    }
}

/// The authenticated caller of the operation being handled.
enum Caller {
    @TaskLocal static var current: Principal?
    /// The SHA-256 of the token the request came with (what logging out revokes).
    @TaskLocal static var tokenHash: String?

    /// The member id, on member routes.
    static func memberId() throws -> String {
        guard case .member(let id) = current else { throw AuthError.notAMember }
        return id
    }

    /// The merchant id, on merchant routes.
    static func merchantId() throws -> String {
        guard case .merchant(let id) = current else { throw AuthError.forbidden("the token is not valid") }
        return id
    }
}
