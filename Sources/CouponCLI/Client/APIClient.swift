import ArgumentParser
import CouponAPI
import CouponKit
import Foundation
import HTTPTypes
import OpenAPIRuntime
import OpenAPIURLSession

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The marketing server's HTTP API through the client generated from `openapi.yaml`.
/// Failures become ``CommandFailure``s with the exit codes of README.md (Exit codes): 2 for network
/// and server errors, 3-6 for the coupon reason codes, 7 for any other reason code
/// (printed). ``ServerAnswers`` turns problem+json answers and unreachable servers
/// into those failures; ``call(_:)`` does the rest.
struct APIClient {
    let baseURL: URL
    let token: String?

    /// The generated client over URLSession (requests time out after 30 seconds).
    var client: Client {
        let configuration = URLSessionConfiguration.default
        configuration.timeoutIntervalForRequest = 30
        // The operations' paths start with "/": the server URL must not end with one.
        let text = baseURL.absoluteString
        let serverURL = text.hasSuffix("/") ? URL(string: String(text.dropLast())) ?? baseURL : baseURL
        return Client(
            serverURL: serverURL, configuration: ClientWireFormat.configuration,
            transport: URLSessionTransport(configuration: .init(session: URLSession(configuration: configuration))),
            middlewares: [ServerAnswers(baseURL: baseURL, token: token)])
    }

    /// Runs one operation, typically `{ try await $0.listProducts().ok.body.json }`.
    func call<Output>(_ operation: (Client) async throws -> Output) async throws(CommandFailure) -> Output {
        do {
            return try await operation(client)
        } catch {
            throw Self.failure(error)
        }
    }

    /// What went wrong, as the CLI reports it: the failure ``ServerAnswers`` raised, or an
    /// answer that is not what the document says (a server fault, exit 2).
    static func failure(_ error: any Error) -> CommandFailure {
        switch error {
        case let failure as CommandFailure: failure
        case let error as ClientError: failure(error.underlyingError)
        default:
            CommandFailure("the server's answer is not what the API says: \(error)", exitCode: ExitStatus.server)
        }
    }

    /// The failure for a non-2xx answer: the problem's reason code when the body is
    /// problem+json, else the bare status (a server fault). A code newer than this
    /// client's document still counts as a refusal, so it is read without the enum.
    static func failure(status: Int, body: Data) -> CommandFailure {
        let problem = try? ClientWireFormat.decoder.decode(Components.Schemas.Problem.self, from: body)
        let fields = problem == nil ? (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] : nil
        guard let code = problem?.code.rawValue ?? fields?["code"] as? String else {
            return CommandFailure("the server answered HTTP \(status)", exitCode: ExitStatus.server)
        }
        let detail = problem?.detail ?? fields?["detail"] as? String
        return CommandFailure(
            "refused by the server: \(code)" + (detail.map { ": \($0)" } ?? ""),
            exitCode: exitCode(forReason: code, status: status))
    }

    /// The CLI exit code for an API reason code (``ReasonCode/exitCode``); a code this
    /// client does not know is a refusal, or a server fault when the status is 5xx.
    static func exitCode(forReason code: String, status: Int) -> ExitCode {
        if let reason = ReasonCode(rawValue: code) { return ExitCode(reason.exitCode) }
        return status >= 500 ? ExitStatus.server : ExitStatus.rejected
    }
}

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

/// The client's one JSON configuration: the generated client reads and writes bodies
/// with ``configuration``, and the same options (sorted keys, unescaped slashes,
/// ISO 8601 dates) print `--json` output and read problem documents.
enum ClientWireFormat {
    static let configuration = Configuration(
        dateTranscoder: .iso8601, jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes])

    static let encoder = configuration.jsonEncoder()

    static let decoder = configuration.jsonDecoder()

    /// Shows a server answer: with `json`, the document as the API defines it (one line);
    /// otherwise the lines `human` prints.
    static func show<Answer: Encodable>(_ answer: Answer, json: Bool, human: (Answer) -> Void) throws(CommandFailure) {
        if json { try printJSON(answer) } else { human(answer) }
    }

    /// One line of JSON on stdout: the server's document as the API defines it.
    static func printJSON(_ value: some Encodable) throws(CommandFailure) {
        do {
            print(String(decoding: try encoder.encode(value), as: UTF8.self))
        } catch {
            throw CommandFailure("cannot encode the answer: \(error)", exitCode: ExitStatus.server)
        }
    }
}
