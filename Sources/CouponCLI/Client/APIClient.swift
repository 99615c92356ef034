import ArgumentParser
import CouponKit
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A small client of the marketing server's HTTP API. Failures become ``CommandFailure``s
/// with the exit codes of ``ExitStatus``: 2 for network and server errors, 3-6 for the
/// coupon reason codes, 7 for any other reason code (printed).
struct APIClient {
    let baseURL: URL
    let token: String?

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    struct Response {
        let status: Int
        let headers: [String: String]
        let body: Data
    }

    func get<T: Decodable>(_ path: String, as type: T.Type) async throws(CommandFailure) -> T {
        try decode(try await send("GET", path), as: type)
    }

    func post<T: Decodable>(_ path: String, json: some Encodable, headers: [String: String] = [:], as type: T.Type)
        async throws(CommandFailure) -> T
    {
        let body: Data
        do {
            body = try Self.encoder.encode(json)
        } catch {
            throw CommandFailure("cannot encode the request: \(error)", exitCode: ExitStatus.usage)
        }
        var all = headers
        all["Content-Type"] = "application/json"
        return try decode(try await send("POST", path, body: body, headers: all), as: type)
    }

    /// Sends a request; a non-2xx answer throws with the server's reason code.
    func send(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:])
        async throws(CommandFailure) -> Response
    {
        guard let url = URL(string: path, relativeTo: baseURL) else {
            throw CommandFailure("bad server URL \(baseURL)\(path)", exitCode: ExitStatus.usage)
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 30
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw CommandFailure(
                "cannot reach the server at \(baseURL.absoluteString): \(error.localizedDescription)",
                exitCode: ExitStatus.server)
        }
        guard let http = response as? HTTPURLResponse else {
            throw CommandFailure("the server sent something that is not HTTP", exitCode: ExitStatus.server)
        }
        var headerFields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headerFields[name.lowercased()] = value }
        }
        guard (200..<300).contains(http.statusCode) else {
            throw Self.failure(status: http.statusCode, body: data)
        }
        return Response(status: http.statusCode, headers: headerFields, body: data)
    }

    func decode<T: Decodable>(_ response: Response, as type: T.Type) throws(CommandFailure) -> T {
        do {
            return try Self.decoder.decode(type, from: response.body)
        } catch {
            throw CommandFailure("the server's answer is not what the API says: \(error)", exitCode: ExitStatus.server)
        }
    }

    static func failure(status: Int, body: Data) -> CommandFailure {
        guard let problem = try? decoder.decode(API.Problem.self, from: body), let code = problem.code else {
            return CommandFailure("the server answered HTTP \(status)", exitCode: ExitStatus.server)
        }
        let detail = problem.detail.map { ": \($0)" } ?? ""
        return CommandFailure("refused by the server: \(code)\(detail)", exitCode: exitCode(forReason: code, status: status))
    }

    /// The CLI exit code for an API reason code (``ReasonCode/exitCode``); a code this
    /// client does not know is a refusal, or a server fault when the status is 5xx.
    static func exitCode(forReason code: String, status: Int) -> ExitCode {
        if let reason = ReasonCode(rawValue: code) { return ExitCode(reason.exitCode) }
        return status >= 500 ? ExitStatus.server : ExitStatus.rejected
    }
}
