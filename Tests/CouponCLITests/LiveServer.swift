import Foundation

/// A real `coupon-server` process on a free loopback port, for live tests.
final class LiveServer: @unchecked Sendable {
    let process = Process()
    let url: String
    private let output = Pipe()

    static var serverExecutable: URL {
        CLIRunner.executable.deletingLastPathComponent().appendingPathComponent("coupon-server")
    }

    /// Runs a `coupon-server` admin command to completion.
    static func admin(_ arguments: [String]) throws -> CLIRunner.Result {
        try CLIRunner.run(arguments, executable: serverExecutable)
    }

    /// Starts `coupon-server serve --port 0 --data DIR` and waits until it listens.
    init(data: String) throws {
        process.executableURL = Self.serverExecutable
        process.arguments = ["serve", "--port", "0", "--data", data]
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let handle = output.fileHandleForReading
        var seen = ""
        let deadline = Date().addingTimeInterval(30)
        var port: String?
        while port == nil, Date() < deadline, process.isRunning {
            let chunk = handle.availableData
            if chunk.isEmpty { continue }
            seen += String(decoding: chunk, as: UTF8.self)
            if let range = seen.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = String(seen[range].split(separator: ":").last!)
            }
        }
        guard let port else {
            process.terminate()
            throw LiveServerError.didNotStart(seen)
        }
        url = "http://127.0.0.1:\(port)"
        // Keep draining the log so the server never blocks on a full pipe.
        handle.readabilityHandler = { $0.availableData.isEmpty ? () : () }
    }

    /// A failing test must not leave a server behind.
    deinit {
        if process.isRunning { process.terminate() }
    }

    /// SIGTERM, then the exit status (0 for a graceful shutdown).
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        return process.terminationStatus
    }

    enum LiveServerError: Error {
        case didNotStart(String)
    }
}
