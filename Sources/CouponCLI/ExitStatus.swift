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

/// Runs a command body. Kept for the commands that wrap their body in it: errors are no
/// longer reported here but at the one edge, ``ParsableCommand/runAsMain(_:)``, which
/// prints a ``CommandLineReportable`` error as one `coupon: …` line with its exit code.
func reportingFailures(_ body: () async throws -> Void) async throws {
    try await body()
}
