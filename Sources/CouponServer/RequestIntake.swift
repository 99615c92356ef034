import HTTPTypes
import OpenAPIRuntime

/// What the server takes in of a request before the generated code decodes it:
///
/// - the body, bounded: over the configured limit it is 413 `payload_too_large`, never
///   buffering more than the limit. The 413 is sent only once the client has finished
///   sending (the rest of the body is read and dropped, up to `maxDrainBytes`): a
///   client that writes its whole body before reading, as Python's urllib does with
///   `Connection: close`, would otherwise block in its send and never see the answer.
///   A body declared larger than `maxDrainBytes` is not read at all: the 413 goes out
///   at once with `Connection: close`;
/// - the `Content-Type` of a JSON body: only `application/json` (`JSONContentType`),
///   else 415 `unsupported_media_type`, judged once the body is known to be within the
///   limit (an oversized body is 413 whatever its type);
/// - not the `Accept` header, nor the `Content-Type` of other bodies: every operation
///   answers with one media type, served whatever the client prefers (the generated code
///   would check `Accept` only after the handler ran: an order would be settled, then
///   refused), and a picture is read by its signature, whatever its label says.
///
/// It runs inside `Authenticator` (a missing token is 401 whatever the size) and
/// inside `OrderRefusals` (an oversized order is recorded like any refusal).
struct RequestIntake: ServerMiddleware {
    let maxBodyBytes: Int
    /// The most an oversized request is read (and dropped) before its 413 is sent.
    let maxDrainBytes: Int

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String, next: MiddlewareNext
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        let contentType = request.headerFields[.contentType]
        request.headerFields[.accept] = nil
        request.headerFields[.contentType] = nil
        let wantsJSON = JSONContentType.operations.contains(operationID)
        guard let body else {
            if wantsJSON, !JSONContentType.isJSON(contentType) { throw JSONContentType.refusal }
            return try await next(request, nil, metadata)
        }
        if case .known(let length) = body.length, length > maxBodyBytes {
            guard length <= maxDrainBytes else { throw RequestError.tooLarge(limit: maxBodyBytes, closing: true) }
            try await Self.drop(body, upTo: maxDrainBytes)
            throw RequestError.tooLarge(limit: maxBodyBytes)
        }
        var bytes: [UInt8] = []
        // A declared length (within the limit, checked above) is allocated once, instead
        // of growing by doubling and copying what came so far (an order's body is some
        // 120 KB).
        if case .known(let length) = body.length { bytes.reserveCapacity(Int(length)) }
        var iterator = body.makeAsyncIterator()
        while let chunk = try await iterator.next() {
            guard bytes.count + chunk.count <= maxBodyBytes else {
                bytes = []
                let read = try await Self.drop(&iterator, read: bytes.count + chunk.count, upTo: maxDrainBytes)
                throw RequestError.tooLarge(limit: maxBodyBytes, closing: read > maxDrainBytes)
            }
            bytes += chunk
        }
        if wantsJSON, !JSONContentType.isJSON(contentType) { throw JSONContentType.refusal }
        return try await next(request, HTTPBody(bytes), metadata)
    }

    /// Reads and forgets what is left of `body`, `upTo` bytes in all.
    private static func drop(_ body: HTTPBody, upTo limit: Int) async throws {
        var iterator = body.makeAsyncIterator()
        try await drop(&iterator, read: 0, upTo: limit)
    }

    /// Reads and forgets chunks until the body ends or more than `limit` bytes (counting
    /// the `read` already taken) have come; returns the count.
    @discardableResult
    private static func drop(_ iterator: inout HTTPBody.AsyncIterator, read: Int, upTo limit: Int) async throws -> Int {
        var read = read
        while read <= limit, let chunk = try await iterator.next() { read += chunk.count }
        return read
    }
}
