// `CommandFailure`, `ContextualFailure` and the shared `runAsMain` live in
// CommandLineEntry; re-exported, every file of this module (the client commands too)
// and the `coupon` executable see them.
@_exported public import CommandLineEntry
public import ArgumentParser
public import CouponKit
public import CouponMinting
public import PNGCodec

// How the `coupon` CLI reports the coupon domain's typed errors at its edge
// (``ParsableCommand/runAsMain(_:)``): the message is the error's description, and the
// exit code of an error with a reason code is ``ReasonCode/exitCode`` (3 unreadable,
// 4 wrong key, 5 bad signature, 6 tampered, 7 refused).

extension ReasonCoded {
    /// The CLI's exit code for this error's reason (``ReasonCode/exitCode``).
    public var exitCode: ExitCode { ExitCode(reasonCode.exitCode) }
}

extension CouponFailure: CommandLineReportable {}

extension CouponRuleError: CommandLineReportable {}

/// A key file that cannot be read or does not hold a key: a bad input file (exit 1).
/// The description names the file and never quotes the key.
extension KeyFiles.Failure: CommandLineReportable {
    public var exitCode: ExitCode { ExitStatus.usage }
}

/// A coupon that cannot be minted (invalid terms, or rendering, sealing or encoding
/// failed): a bad input (exit 1).
extension CouponMinter.MintError: CommandLineReportable {
    public var exitCode: ExitCode { ExitStatus.usage }
}

/// A bare PNG error comes from encoding (the chosen level or filter, an image too large):
/// a bad input (exit 1). A file that does not decode is wrapped with its path in a
/// ``ContextualFailure`` and exits 3 instead.
extension PNGError: CommandLineReportable {
    public var exitCode: ExitCode { ExitStatus.usage }
}
