import Foundation
import HTTPTypes
import OpenAPIRuntime

/// The client's one middleware: sends the profile's token as `Authorization: Bearer`,
/// turns a server that cannot be reached into a one-line failure (exit 2), and every
/// non-2xx answer into the ``CommandFailure`` of its problem+json (``APIClient/failure(status:body:)``),
/// so commands only ever see the documented successes.
struct ServerAnswers: ClientMiddleware {
    let baseURL: URL
    let token: String?

    /// Problem documents are small; a larger error body is not read past this.
    static var maxProblemBytes: Int { 64 * 1024 }

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        if let token { request.headerFields[.authorization] = "Bearer \(token)" }
        let response: HTTPResponse
        let responseBody: HTTPBody?
        do {
            (response, responseBody) = try await next(request, body, baseURL)
        } catch {
            let reason = (error as? ClientError).map { $0.underlyingError.localizedDescription } ?? error.localizedDescription
            throw CommandFailure(
                "cannot reach the server at \(self.baseURL.absoluteString): \(reason)", exitCode: ExitStatus.server)
        }
        guard response.status.kind == .successful else {
            var bytes = Data()
            if let responseBody { bytes = (try? await Data(collecting: responseBody, upTo: Self.maxProblemBytes)) ?? Data() }
            throw APIClient.failure(status: response.status.code, body: bytes)
        }
        return (response, responseBody)
    }
}
