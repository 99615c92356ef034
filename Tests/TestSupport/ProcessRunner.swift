import Foundation

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

    /// The executable `name` next to the test bundle in the build folder.
    public static func builtExecutable(_ name: String) -> URL {
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundleDir, bundleDir.deletingLastPathComponent()].map { $0.appendingPathComponent(name) }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Runs `executable` with `arguments`, the environment merged over this process's.
    /// With a `deadline` (seconds), a process still running then is killed (SIGKILL) and
    /// the result says ``Result/timedOut``, so a hung child fails its test instead of
    /// hanging the suite.
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:], deadline: TimeInterval? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let killed = Killed()
        let watchdog = deadline.map { seconds in
            let pid = process.processIdentifier
            let item = DispatchWorkItem {
                killed.mark()
                kill(pid, SIGKILL)
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
            return item
        }
        // Read both pipes fully before waiting, so a chatty child cannot block on a full pipe.
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog?.cancel()
        var result = Result(
            status: process.terminationStatus,
            stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData, as: UTF8.self))
        result.timedOut = killed.value
        return result
    }
}

/// Whether a watchdog killed the process (set on another thread).
private final class Killed: @unchecked Sendable {
    private let lock = NSLock()
    private var killed = false

    func mark() { lock.withLock { killed = true } }
    var value: Bool { lock.withLock { killed } }
}
