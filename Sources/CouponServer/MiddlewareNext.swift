import HTTPTypes
import OpenAPIRuntime

/// What each of the server's `ServerMiddleware`s hands a request on to: the next
/// middleware, and at the end the generated handler.
typealias MiddlewareNext =
    @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
