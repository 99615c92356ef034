import HTTPTypes
import OpenAPIRuntime

/// What the server takes in of a request before the generated code decodes it:
///
/// - the body, bounded: over the configured limit it is 413 `payload_too_large`, at once
///   from `Content-Length`, else while reading (never buffering more than the limit);
/// - not the `Accept` and `Content-Type` headers: every operation takes one media type
///   and answers with one, so the body is read as the document's type whatever the
///   client labels it (`curl -d` says form-urlencoded), as the server always did, and
///   served in its one type whatever the client prefers (the generated code would check
///   `Accept` only after the handler ran: an order would be settled, then refused).
///
/// It runs inside ``Authenticator`` (a missing token is 401 whatever the size) and
/// inside ``OrderRefusals`` (an oversized order is recorded like any refusal).
struct RequestIntake: ServerMiddleware {
    let maxBodyBytes: Int

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.accept] = nil
        request.headerFields[.contentType] = nil
        guard let body else { return try await next(request, nil, metadata) }
        if case .known(let length) = body.length, length > maxBodyBytes {
            throw RequestError.tooLarge(limit: maxBodyBytes)
        }
        let bytes: [UInt8]
        do {
            bytes = try await [UInt8](collecting: body, upTo: maxBodyBytes)
        } catch {
            throw RequestError.tooLarge(limit: maxBodyBytes)
        }
        return try await next(request, HTTPBody(bytes), metadata)
    }
}
