public import ArgumentParser

/// A typed error together with what the command was working on when it met it (a
/// file's path, or a step such as "cannot draw the revealed coupon"), and the exit code
/// it ends the command with here. The underlying error stays inspectable as itself;
/// the edge prints `<context>: <underlying error>`.
///
/// The same error can mean different things in different places (a PNG that does not
/// decode is an unreadable coupon for `inspect`, a bad input file for `mint --art`),
/// so the exit code is chosen where the error is wrapped, or taken from the error when
/// it is ``CommandLineReportable`` itself.
public struct ContextualFailure<Underlying: Error & Sendable>: CommandLineReportable, CustomStringConvertible, Sendable {
    /// A file's path, or what was being done.
    public let context: String
    public let underlying: Underlying
    public let exitCode: ExitCode

    public init(_ context: String, _ underlying: Underlying, exitCode: ExitCode) {
        self.context = context
        self.underlying = underlying
        self.exitCode = exitCode
    }

    /// `<context>: <underlying>`; the underlying error's own message when it has one.
    public var description: String {
        let reason = (underlying as? any CommandLineReportable)?.message ?? String(describing: underlying)
        return "\(context): \(reason)"
    }
}

extension ContextualFailure where Underlying: CommandLineReportable {
    /// Keeps the underlying error's own exit code.
    public init(_ context: String, _ underlying: Underlying) {
        self.init(context, underlying, exitCode: underlying.exitCode)
    }
}
