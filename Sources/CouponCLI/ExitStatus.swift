public import ArgumentParser

/// The exit codes of every command (listed in README "Commands").
public enum ExitStatus {
    public static let ok = ExitCode(0)
    /// Usage error or bad input file; nothing written.
    public static let usage = ExitCode(1)
    public static let server = ExitCode(2)
    /// Not a PNG, or no watermark found.
    public static let unreadable = ExitCode(3)
    /// Wrong key: unknown epoch or bad seal.
    public static let wrongKey = ExitCode(4)
    public static let badSignature = ExitCode(5)
    /// Payload valid, artwork edited.
    public static let tampered = ExitCode(6)
    public static let rejected = ExitCode(7)
}

/// A failure a command reports as one line on stderr and an exit code; never a trace.
public struct CommandFailure: Error, CustomStringConvertible {
    public let message: String
    public let exitCode: ExitCode

    public init(_ message: String, exitCode: ExitCode) {
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { message }
}

/// Runs a command body, turning a ``CommandFailure`` into its stderr line and exit code.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let failure as CommandFailure {
        Terminal.error(failure.message)
        throw failure.exitCode
    }
}
