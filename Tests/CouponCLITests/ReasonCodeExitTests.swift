import CouponCLI
import CouponKit
import Testing

/// The CLI's side of the reason table: the exit codes README.md's table lists.
@Suite struct ReasonCodeExitTests {
    @Test func reasonsEndTheCLIWithTheirExitCode() {
        #expect(CouponFailure.badSeal.reasonCode.exitCode == 4)
        #expect(CouponFailure.unknownEpoch(3).reasonCode.exitCode == 4)
        #expect(CouponFailure.unreadable("x").reasonCode.exitCode == 3)
        #expect(ReasonCode.couponTooLarge.exitCode == 3)
        #expect(ReasonCode.couponBadSignature.exitCode == 5)
        #expect(ReasonCode.couponTampered.exitCode == 6)
        #expect(ReasonCode.couponExhausted.exitCode == 7)
        #expect(ReasonCode.internalError.exitCode == 2)
        #expect(ReasonCode.serverBusy.exitCode == 2)
        for code in ReasonCode.allCases {
            #expect([2, 3, 4, 5, 6, 7].contains(code.exitCode), "\(code)")
        }
    }
}
