import Hummingbird

/// The TCP peer of the request being handled, for the limits that count per address
/// (`AdmissionLimits`). Set for every request by `ClientAddressMiddleware` on the
/// router, read by the OpenAPI middlewares, which see only the HTTP request. Behind a
/// reverse proxy the peer is the proxy: limit per address there.
enum ClientAddress {
    @TaskLocal static var current: String?
}

/// Binds `ClientAddress/current` for the rest of the request.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        try await ClientAddress.$current.withValue(context.channel.remoteAddress?.ipAddress ?? "unknown") {
            try await next(request, context)
        }
    }
}
