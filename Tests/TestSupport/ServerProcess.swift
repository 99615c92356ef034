import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// A real `coupon-server serve --port 0 ...` process, once it listens, and HTTP requests
/// to it: the live tests of both test targets (one instance or several on one database,
/// stopped gracefully or killed with SIGKILL).
public final class ServerProcess: Sendable {
    /// `http://127.0.0.1:PORT`.
    public let url: String
    /// The server, its standard output and error together in one file.
    private let process: ChildProcess

    /// What it printed so far (standard output and error together).
    public var log: String { process.output.text }

    /// An HTTP answer: status, headers (names lowercased) and body.
    public struct Response: Sendable {
        public let status: Int
        public let headers: [String: String]
        public let body: Data

        /// The body as a JSON object (empty when it is not one).
        public var json: [String: Any] {
            ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:]
        }
    }

    public struct StartFailure: Error, CustomStringConvertible {
        public let output: String
        public var description: String { "coupon-server serve did not start: \(output)" }
    }

    /// The built `coupon-server` beside the test bundle.
    public static let executable = ProcessRunner.builtExecutable("coupon-server")

    private init(process: ChildProcess, port: String) {
        self.process = process
        url = "http://127.0.0.1:\(port)"
    }

    /// Starts `coupon-server serve --port 0` with `arguments` and waits (up to 30 s) until
    /// its log names the port it listens on.
    public static func start(_ arguments: [String]) async throws -> ServerProcess {
        let process = try await ChildProcess.start(
            executable, ["serve", "--port", "0"] + arguments, label: "coupon-server", mergingErrors: true)
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning, ContinuousClock.now < deadline {
            let seen = process.output.text
            if let range = seen.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression),
                let port = seen[range].split(separator: ":").last
            {
                return ServerProcess(process: process, port: String(port))
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        process.send(SIGKILL)
        _ = await process.status()
        let seen = process.output.text
        process.removeFiles()
        throw StartFailure(output: seen)
    }

    // MARK: Requests

    /// One session for every server: up to 64 connections to a host at once, so that
    /// requests sent together really arrive together (the default is a handful).
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 64
        // A request that gets no answer fails its test after this, with the URL named
        // (URLError.timedOut), rather than holding the run.
        configuration.timeoutIntervalForRequest = 60
        return URLSession(configuration: configuration)
    }()

    /// `method path` with `headers` and an optional JSON body; a failed connection throws.
    public func send(_ method: String, _ path: String, body: Data?, headers: [String: String]) async throws
        -> Response
    {
        guard let address = URL(string: url + path) else { throw URLError(.badURL) }
        var request = URLRequest(url: address)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await Self.session.data(for: request)
        let http = response as? HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return Response(status: http?.statusCode ?? 0, headers: fields, body: data)
    }

    /// `method path` with a JSON text body and a bearer token.
    public func request(_ method: String, _ path: String, body: String? = nil, token: String? = nil) async throws
        -> Response
    {
        try await send(
            method, path, body: body.map { Data($0.utf8) },
            headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:])
    }

    // MARK: Stopping

    /// How long ``stop()`` waits after SIGTERM before it kills the server.
    public static let stopDeadline: Duration = .seconds(30)

    /// SIGTERM, then the exit status (0 for a graceful shutdown). A server still running
    /// ``stopDeadline`` after SIGTERM is killed (SIGKILL) and reported as exit status 137,
    /// so a shutdown that hangs fails the test that stopped it instead of hanging the run.
    public func stop() async -> Int32 {
        process.send(SIGTERM)
        return await process.status(within: Self.stopDeadline) ?? 137
    }

    /// SIGKILL, as a crash: no shutdown of any kind; returns once the process is gone.
    public func kill() async {
        process.send(SIGKILL)
        _ = await process.status()
    }

    /// SIGTERM without waiting (a test that failed half-way, in a `defer`).
    public func terminate() {
        process.send(SIGTERM)
    }

    /// A failing test must not leave a server behind (nor its log file).
    deinit {
        process.send(SIGTERM)
        process.removeFiles()
    }
}
