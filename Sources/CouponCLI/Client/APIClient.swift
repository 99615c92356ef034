import ArgumentParser
import CouponAPI
import CouponKit
import Foundation
import OpenAPIRuntime
import OpenAPIURLSession

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The marketing server's HTTP API through the client generated from `openapi.yaml`.
/// Failures become ``CommandFailure``s with the exit codes of the README: 2 for network
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
        return Client(
            serverURL: baseURL, configuration: ClientWireFormat.configuration,
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
    /// problem+json, else the bare status (a server fault).
    static func failure(status: Int, body: Data) -> CommandFailure {
        guard let problem = try? ClientWireFormat.decoder.decode(Components.Schemas.Problem.self, from: body) else {
            return CommandFailure("the server answered HTTP \(status)", exitCode: ExitStatus.server)
        }
        let code = problem.code.rawValue
        return CommandFailure(
            "refused by the server: \(code): \(problem.detail)", exitCode: exitCode(forReason: code, status: status))
    }

    /// The CLI exit code for an API reason code (``ReasonCode/exitCode``); a code this
    /// client does not know is a refusal, or a server fault when the status is 5xx.
    static func exitCode(forReason code: String, status: Int) -> ExitCode {
        if let reason = ReasonCode(rawValue: code) { return ExitCode(reason.exitCode) }
        return status >= 500 ? ExitStatus.server : ExitStatus.rejected
    }
}
