import HTTPTypes
import Hummingbird
import NIOCore
import OpenAPIRuntime

/// Converts between Hummingbird's requests and responses and the generated server's
/// `HTTPRequest`/`HTTPBody`, as `OpenAPIHummingbird` does, with one difference: a
/// response body of known length (every body this server sends: JSON, PNG, YAML, all in
/// memory) becomes one `ByteBuffer`, which Hummingbird writes with the head and the end
/// in a single write and flush, as the hand-written routes did. Streamed as
/// `OpenAPIHummingbird` does it, the head, the body and the end are three separate
/// writes on every request.
enum OpenAPIBridge {
    typealias Handler = @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
        HTTPResponse, HTTPBody?
    )

    static func respond(
        to request: Request, context: some RequestContext, with handler: Handler
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
    static func body(_ body: HTTPBody?) async throws -> ResponseBody {
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
