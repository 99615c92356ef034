import HTTPTypes
import OpenAPIRuntime

/// Refuses request bodies over the configured limit with 413 `payload_too_large`: at once
/// from `Content-Length`, else while reading (never buffering more than the limit).
///
/// It runs inside ``Authenticator`` (a missing token is 401 whatever the size) and
/// inside ``OrderRefusals`` (an oversized order is recorded like any refusal).
struct BodyLimit: ServerMiddleware {
    let maxBytes: Int

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let body else { return try await next(request, nil, metadata) }
        if case .known(let length) = body.length, length > maxBytes {
            throw RequestError.tooLarge(limit: maxBytes)
        }
        let bytes: [UInt8]
        do {
            bytes = try await [UInt8](collecting: body, upTo: maxBytes)
        } catch {
            throw RequestError.tooLarge(limit: maxBytes)
        }
        return try await next(request, HTTPBody(bytes), metadata)
    }
}
