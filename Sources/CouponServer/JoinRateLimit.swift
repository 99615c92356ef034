import CouponStore
import HTTPTypes
import OpenAPIRuntime

/// Counts every `joinMembership` against `AdmissionLimits/admitJoin(from:)` before it
/// runs. Keyed on the operation the router matched, never on the raw path: `/v1/members/`,
/// `//v1/members` and `/v1//members` reach the same operation, so they meet the same
/// limit. Other operations pass untouched.
struct JoinRateLimit<Repository: RateLimitRepository>: ServerMiddleware {
    let limits: AdmissionLimits<Repository>

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String, next: MiddlewareNext
    ) async throws -> (HTTPResponse, HTTPBody?) {
        if operationID == "joinMembership" { try await limits.admitJoin(from: ClientAddress.current ?? "unknown") }
        return try await next(request, body, metadata)
    }
}
