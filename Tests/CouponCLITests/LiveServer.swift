import Foundation
import TestSupport

/// A real `coupon-server` on a free loopback port, for live tests.
typealias LiveServer = ServerProcess

extension ServerProcess {
    static var serverExecutable: URL { executable }

    /// Runs a `coupon-server` admin command to completion, or kills it at
    /// `deadline` seconds (``ProcessRunner/Result/timedOut``, exit status 137). Every
    /// suite that starts servers also carries a `.timeLimit`.
    static func admin(_ arguments: [String], deadline: TimeInterval = ProcessRunner.defaultDeadline) async throws -> CLIRunner.Result {
        try await ProcessRunner.run(serverExecutable, arguments, deadline: deadline)
    }

    /// Starts `coupon-server serve --port 0 --data DIR` and waits until it listens.
    static func start(data: String) async throws -> ServerProcess {
        try await start(["--data", data])
    }
}
