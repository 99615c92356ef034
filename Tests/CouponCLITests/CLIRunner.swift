import Foundation
import TestSupport

/// Runs the built `coupon` binary as a user would, capturing output and exit code.
struct CLIRunner {
    typealias Result = ProcessRunner.Result

    /// The `coupon` executable next to the test bundle in the build folder.
    static let executable = ProcessRunner.builtExecutable("coupon")

    static func fixture(_ path: String) -> String {
        TestFiles.fixtures.appendingPathComponent(path).path
    }

    /// Runs `coupon` with `arguments` (see ``ProcessRunner/run(_:_:environment:deadline:in:)``).
    static func run(
        _ arguments: [String], environment: [String: String] = [:], executable: URL = executable, in directory: URL? = nil,
        deadline: TimeInterval = ProcessRunner.defaultDeadline
    ) async throws -> Result {
        try await ProcessRunner.run(executable, arguments, environment: environment, deadline: deadline, in: directory)
    }
}
