import ArgumentParser
import CommandLineEntry
import CouponKit
import CouponStore

// How `coupon-server` reports the domain's typed errors at its edge
// (CommandLineEntry's `runAsMain`): one `coupon-server: <description>` line, exit 1 for
// bad input, 2 for a server or storage fault.

/// `merchant add --public-key FILE` with a file that does not hold a key: bad input.
extension KeyFiles.Failure: CommandLineReportable {
    public var exitCode: ExitCode { .usageFailure }
}

/// A refused admin operation (a merchant that exists) is bad input; a damaged row in
/// the database is a storage fault.
extension StoreError: CommandLineReportable {
    public var exitCode: ExitCode {
        switch self {
        case .corruptRow: .serverFailure
        default: .usageFailure
        }
    }
}
