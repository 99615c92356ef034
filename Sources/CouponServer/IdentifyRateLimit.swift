import HTTPTypes
import OpenAPIRuntime

/// `POST /v1/coupons/identify` at most `serve --identify-limit` times a minute per token
/// (``Caller/tokenHash``, set by ``Authenticator``, which runs first); over it, 429
/// `rate_limited` with `Retry-After`. Reading a picture that carries no mark costs the
/// robust layer's whole search on a verifier thread: without a bound, one member could
/// keep the verification pool busy and every order would get 503. Other routes are not
/// limited here.
struct IdentifyRateLimit: ServerMiddleware {
    /// Nil: no limit.
    let limiter: RateLimiter?

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        if operationID == "identifyCoupon", let limiter, let token = Caller.tokenHash {
            try limiter.admit(token, tooMany: "pictures identified with this token")
        }
        return try await next(request, body, metadata)
    }
}
