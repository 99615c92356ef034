import HTTPTypes
import Hummingbird
import NIOCore
import OpenAPIRuntime

/// Registers the generated operations on the router and remembers each path's methods,
/// so that ``answerOtherMethods()`` can answer every other method of a known path with
/// 405 `method_not_allowed` and an `Allow` header (Hummingbird alone answers 404).
///
/// Requests and responses are converted as `OpenAPIHummingbird` does, with one
/// difference: a response body of known length (every body this server sends: JSON,
/// PNG, YAML, all in memory) becomes one `ByteBuffer`, which Hummingbird writes with the
/// head and the end in a single write and flush, as the hand-written routes did.
/// Streamed as `OpenAPIHummingbird` does it, the head, the body and the end are three
/// separate writes on every request.
final class RouteTable<Context: RequestContext>: ServerTransport {
    let router: Router<Context>
    private(set) var methods: [String: [HTTPRequest.Method]] = [:]
    private var order: [String] = []

    init(router: Router<Context>) {
        self.router = router
    }

    func register(
        _ handler: @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
            HTTPResponse, HTTPBody?
        ),
        method: HTTPRequest.Method,
        path: String
    ) throws {
        router.on(RouterPath(path), method: method) { request, context in
            try await Self.respond(to: request, context: context, with: handler)
        }
        if methods[path] == nil { order.append(path) }
        methods[path, default: []].append(method)
    }

    /// The methods a client may try, beyond those the document gives a path.
    static var knownMethods: [HTTPRequest.Method] { [.get, .head, .post, .put, .patch, .delete, .options] }

    /// 405 for every known method a registered path does not have.
    func answerOtherMethods() {
        for path in order {
            let allowed = methods[path] ?? []
            for method in Self.knownMethods where !allowed.contains(method) {
                router.on(RouterPath(path), method: method) { request, _ -> Response in
                    throw Problem.methodNotAllowed(request.method, allowed: allowed)
                }
            }
        }
    }

    private static func respond(
        to request: Request, context: Context,
        with handler: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> Response {
        let length: HTTPBody.Length =
            if let header = request.headers[.contentLength], let count = Int64(header) { .known(count) } else {
                .unknown
            }
        let body = HTTPBody(request.body.map { [UInt8](buffer: $0)[...] }, length: length, iterationBehavior: .single)
        let parameters = [String: Substring](context.parameters.map { (String($0.0), $0.1) }) { first, _ in first }
        let (response, responseBody) = try await handler(
            request.head, body, ServerRequestMetadata(pathParameters: parameters))
        return Response(status: response.status, headers: response.headerFields, body: try await Self.body(responseBody))
    }

    /// One buffer for a body of known length; a stream otherwise.
    private static func body(_ body: HTTPBody?) async throws -> ResponseBody {
        guard let body else { return ResponseBody(byteBuffer: ByteBuffer()) }
        guard case .known(let length) = body.length else {
            return ResponseBody(asyncSequence: body.map { ByteBuffer(bytes: $0) })
        }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(Int(length))
        for try await chunk in body { buffer.writeBytes(chunk) }
        return ResponseBody(byteBuffer: buffer)
    }
}
