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
    /// `directory` (this process's own when nil), as a ``ChildProcess``. A process still
    /// running at `deadline` (seconds) is killed (SIGKILL): the result says
    /// ``Result/timedOut``, has exit status 137 and names the deadline on its standard
    /// error, so a hung child fails its test instead of hanging the suite. Nothing blocks a
    /// thread while it runs.
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:],
        deadline: TimeInterval = defaultDeadline, in directory: URL? = nil
    ) async throws -> Result {
        let child = try await ChildProcess.start(
            executable, arguments, environment: environment, in: directory, label: executable.lastPathComponent)
        defer { child.removeFiles() }
        let status = await child.status(within: .seconds(deadline))
        var result = Result(
            status: status ?? 137,
            stdout: child.output.text,
            stderr: (child.errors?.text ?? "")
                + (status == nil ? "\n[killed: \(executable.lastPathComponent) ran past its \(Int(deadline)) s deadline]" : ""))
        result.timedOut = status == nil
        return result
    }
}
