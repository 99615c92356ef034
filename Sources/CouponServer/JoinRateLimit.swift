import Hummingbird

/// `POST /v1/members` at most `serve --join-limit` times a minute per client address
/// (the TCP peer: behind a reverse proxy, that is the proxy, so limit there); over it,
/// 429 `rate_limited` with `Retry-After`. Other routes are not limited here.
struct JoinRateLimit: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .post, request.uri.path == "/v1/members" else { return try await next(request, context) }
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        try limiter.admit(address, tooMany: "joins from this address")
        return try await next(request, context)
    }
}
