import Foundation
import TestSupport

/// A real `coupon-server` on a free loopback port, for live tests.
typealias LiveServer = ServerProcess

extension ServerProcess {
    static var serverExecutable: URL { executable }

    /// Runs a `coupon-server` admin command to completion.
    static func admin(_ arguments: [String]) throws -> CLIRunner.Result {
        try CLIRunner.run(arguments, executable: serverExecutable)
    }

    /// Starts `coupon-server serve --port 0 --data DIR` and waits until it listens.
    convenience init(data: String) throws {
        try self.init(["--data", data])
    }
}
