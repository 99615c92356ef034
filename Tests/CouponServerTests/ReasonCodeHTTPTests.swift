import CouponKit
import CouponServer
import Testing

/// The server's side of the reason table: every code is served with a 4xx or 5xx status,
/// a title and its own type URI.
@Suite struct ReasonCodeHTTPTests {
    @Test func everyReasonHasAStatusATitleAndATypeURI() {
        #expect(ReasonCode.couponDegraded.httpStatus == 422)
        #expect(ReasonCode.unauthenticated.httpStatus == 401)
        #expect(ReasonCode.serverBusy.httpStatus == 503)
        for code in ReasonCode.allCases {
            #expect((400..<600).contains(code.httpStatus), "\(code)")
            #expect(!code.title.isEmpty, "\(code)")
            #expect(code.typeURI.hasSuffix("/\(code.rawValue)"))
        }
        #expect(Set(ReasonCode.allCases.map(\.typeURI)).count == ReasonCode.allCases.count)
    }
}
