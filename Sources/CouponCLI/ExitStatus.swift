public import ArgumentParser

/// The exit codes of every command (listed in README.md, Exit codes).
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
