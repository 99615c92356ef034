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
public final class ServerProcess: @unchecked Sendable {
    /// `http://127.0.0.1:PORT`.
    public let url: String
    private let process = Process()
    private let output = Pipe()
    private let logLock = NSLock()
    private var logged = ""

    /// What it printed so far (standard output and error together).
    public var log: String { logLock.withLock { logged } }

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

    /// Starts `coupon-server serve --port 0` with `arguments` and waits (blocking, up to
    /// 30 s) until its log names the port it listens on.
    public init(_ arguments: [String]) throws {
        process.executableURL = Self.executable
        process.arguments = ["serve", "--port", "0"] + arguments
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let handle = output.fileHandleForReading
        var seen = ""
        var port: String?
        let deadline = Date().addingTimeInterval(30)
        while port == nil, Date() < deadline, process.isRunning {
            let chunk = handle.availableData
            if chunk.isEmpty { continue }
            seen += String(decoding: chunk, as: UTF8.self)
            if let range = seen.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = seen[range].split(separator: ":").last.map(String.init)
            }
        }
        guard let port else {
            process.terminate()
            throw StartFailure(output: seen)
        }
        url = "http://127.0.0.1:\(port)"
        logged = seen
        // Keep draining the log so the server never blocks on a full pipe.
        handle.readabilityHandler = { [weak self] handle in
            let chunk = String(decoding: handle.availableData, as: UTF8.self)
            guard let self else { return }
            self.logLock.withLock { self.logged += chunk }
        }
    }

    /// Starts it off the cooperative threads (the start-up wait blocks).
    public static func start(_ arguments: [String]) async throws -> ServerProcess {
        try await offCooperativeThreads { try ServerProcess(arguments) }
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
    public static let stopDeadline: TimeInterval = 30

    /// SIGTERM, then the exit status (0 for a graceful shutdown); blocks until it exits.
    /// A server still running ``stopDeadline`` seconds after SIGTERM is killed (SIGKILL)
    /// and reported as exit status 137, so a shutdown that hangs fails the test that
    /// stopped it instead of hanging the run.
    public func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(Self.stopDeadline)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        var killed = false
        if process.isRunning {
            Self.sendKill(process.processIdentifier)
            killed = true
        }
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        let rest = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        logLock.withLock { logged += rest }
        return killed ? 137 : process.terminationStatus
    }

    /// ``stop()`` waited for off the cooperative threads.
    public func stop() async -> Int32 {
        await offCooperativeThreads { self.stop() }
    }

    /// SIGKILL, as a crash: no shutdown of any kind; returns once the process is gone.
    public func kill() async {
        await offCooperativeThreads {
            if self.process.isRunning { Self.sendKill(self.process.processIdentifier) }
            self.process.waitUntilExit()
            self.output.fileHandleForReading.readabilityHandler = nil
        }
    }

    private static func sendKill(_ pid: Int32) {
        #if canImport(Glibc)
            _ = Glibc.kill(pid, SIGKILL)
        #else
            _ = Darwin.kill(pid, SIGKILL)
        #endif
    }

    /// SIGTERM without waiting (a test that failed half-way).
    public func terminate() {
        if process.isRunning { process.terminate() }
    }

    /// A failing test must not leave a server behind.
    deinit {
        if process.isRunning { process.terminate() }
    }
}

/// Runs blocking work (waiting for a process) on a Dispatch thread, so the cooperative
/// threads stay free for the tests running meanwhile.
public func offCooperativeThreads<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws
    -> Value
{
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

/// ``offCooperativeThreads(_:)`` for work that cannot fail.
public func offCooperativeThreads<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: work()) }
    }
}
