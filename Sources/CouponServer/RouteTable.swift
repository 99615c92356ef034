import HTTPTypes
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime

/// Registers the generated operations on the router and remembers each path's methods,
/// so that `answerOtherMethods()` can answer every other method of a known path
/// with 405 `method_not_allowed` and an `Allow` header (Hummingbird alone answers 404).
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
        router.register(handler, method: method, path: path)
        if methods[path] == nil { order.append(path) }
        methods[path, default: []].append(method)
    }

    /// The methods a client may try, beyond those the document gives a path.
    static var knownMethods: [HTTPRequest.Method] { [.get, .head, .post, .put, .patch, .delete, .options, .trace] }

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
}
