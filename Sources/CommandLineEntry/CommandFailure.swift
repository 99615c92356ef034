public import ArgumentParser

/// A failure of the command line itself, not of the domain below it: a file that cannot
/// be read or written, a flag combination that makes no sense, a missing profile.
/// Reported as its message on one stderr line with its exit code; never a trace.
///
/// Errors of the domain (a coupon that does not open, a key file that does not decode,
/// a damaged database row) are not turned into this type: they reach the edge as
/// themselves, or wrapped with the file they concern in ``ContextualFailure``.
public struct CommandFailure: CommandLineReportable, CustomStringConvertible, Sendable {
    public let message: String
    public let exitCode: ExitCode

    public init(_ message: String, exitCode: ExitCode) {
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { message }
}
