public import ArgumentParser

/// An error that knows how a command-line tool reports it: one line on stderr (the
/// edge prefixes the program's name) and the exit code the process ends with.
///
/// Domain errors stay typed on their way up; only ``ParsableCommand/runAsMain(_:)``
/// turns one into text. A tool conforms its own errors to this protocol (the `coupon`
/// CLI maps the reason codes of its coupon errors to exit codes; `coupon-server` exits
/// 1 for bad input and 2 for server or storage faults), so this module knows nothing
/// of the coupon domain.
///
/// ```swift
/// struct NoSuchProfile: CommandLineReportable, CustomStringConvertible {
///     var exitCode: ExitCode { ExitCode(1) }
///     var description: String { "no saved profile; run coupon join first" }
/// }
/// ```
public protocol CommandLineReportable: Error {
    /// The process's exit code when this error ends the command.
    var exitCode: ExitCode { get }
    /// One line without the program name and without a trailing newline. Never holds
    /// secrets (tokens, keys).
    var message: String { get }
}

extension CommandLineReportable where Self: CustomStringConvertible {
    /// An error that describes itself is reported with its description.
    public var message: String { description }
}
