import Foundation
import Synchronization

/// Runs a built executable of this package as a user would, capturing its output and
/// exit status: the `coupon` CLI tests and the `coupon-server` admin-command tests.
public enum ProcessRunner {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
        /// The process was still running at its deadline and was killed.
        public var timedOut = false
    }

    /// How long a command may run unless its caller says otherwise: far above any
    /// command's run here, so only a hang reaches it.
    public static let defaultDeadline: TimeInterval = 300

    /// The executable `name` next to the test bundle in the build folder.
    public static func builtExecutable(_ name: String) -> URL {
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundleDir, bundleDir.deletingLastPathComponent()].map { $0.appendingPathComponent(name) }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Runs `executable` with `arguments`, the environment merged over this process's, in
    /// `directory` (this process's own when nil). A process still running at `deadline`
    /// (seconds) is killed (SIGKILL): the result says ``Result/timedOut``, has exit status
    /// 137 and names the deadline on its standard error, so a hung child fails its test
    /// instead of hanging the suite.
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:],
        deadline: TimeInterval = defaultDeadline, in directory: URL? = nil
    ) async throws -> Result {
        try await offCooperativeThreads {
            try run(executable, arguments, environment: environment, deadline: deadline, in: directory)
        }
    }

    /// The blocking form, for code already off the cooperative threads (the async form
    /// runs it on a dispatch thread, where waiting for a child costs no other test).
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:],
        deadline: TimeInterval = defaultDeadline, in directory: URL? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let killed = Killed()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem {
            killed.mark()
            kill(pid, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + deadline, execute: watchdog)
        // Read both pipes fully before waiting, so a chatty child cannot block on a full pipe.
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        let timedOut = killed.value
        var result = Result(
            status: timedOut ? 137 : process.terminationStatus,
            stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData, as: UTF8.self)
                + (timedOut ? "\n[killed: \(executable.lastPathComponent) ran past its \(Int(deadline)) s deadline]" : ""))
        result.timedOut = timedOut
        return result
    }
}

/// Whether a watchdog killed the process (set on another thread).
private final class Killed: Sendable {
    private let killed = Mutex(false)

    func mark() { killed.withLock { $0 = true } }
    var value: Bool { killed.withLock { $0 } }
}
