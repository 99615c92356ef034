import CouponKit
import HTTPTypes
import Hummingbird
import Logging

/// Gives every request an id: the client's `X-Request-Id` when it is sane (1 to 128
/// characters of `A-Z a-z 0-9 . _ -`), otherwise the id Hummingbird made for it. The id
/// goes back in the response's `X-Request-Id` and, as Hummingbird's own `hb.request.id`,
/// into the metadata of every log line of the request (this middleware runs first, so
/// `LogRequestsMiddleware` and `ProblemMiddleware` log it). A client's id is never
/// trusted beyond that: anything else it sends is replaced, so a log line cannot be forged
/// or stretched through the header.
struct RequestIdentifier<Context: RequestContext>: RouterMiddleware {
    static var header: HTTPField.Name { HTTPField.Name("X-Request-Id")! }
    static var metadataKey: String { "hb.request.id" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        let id = request.headers[Self.header].flatMap { Self.isSane($0) ? $0 : nil } ?? context.id
        context.logger[metadataKey: Self.metadataKey] = .string(id)
        var response = try await next(request, context)
        response.headers[Self.header] = id
        return response
    }

    static func isSane(_ id: String) -> Bool {
        TextRules.isPlainWord(id, maxLength: 128)
    }
}
