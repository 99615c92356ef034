public import CouponKit

/// How the `coupon` CLI ends for each reason.
extension ReasonCode {
    /// The `coupon` CLI's exit code for this reason: 3 unreadable (not a PNG, no
    /// watermark, over the pixel limit), 4 wrong key (unknown epoch, seal does not open),
    /// 5 bad signature, 6 tampered, 2 a server fault, a busy server or its database down
    /// (try again), 7 any
    /// other refusal. The exit-code table of README.md (Exit codes)
    /// lists the same numbers.
    public var exitCode: Int32 {
        switch self {
        case .couponUnreadable, .couponTooLarge: 3
        case .couponUnknownEpoch, .couponBadSeal: 4
        case .couponBadSignature: 5
        case .couponTampered: 6
        case .internalError, .serverBusy, .databaseUnavailable: 2
        default: 7
        }
    }
}
