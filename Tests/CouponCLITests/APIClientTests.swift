import ArgumentParser
import CouponAPI
@testable import CouponCLI
import Foundation
import Testing

/// How the client turns the server's answers into exit codes and messages.
@Suite struct APIClientTests {
    static func problem(_ code: String, status: Int, detail: String = "why") -> Data {
        Data(
            #"{"type":"https://couponmark.example/problems/\#(code)","title":"T","status":\#(status),"detail":"\#(detail)","code":"\#(code)"}"#
                .utf8)
    }

    @Test(arguments: [
        ("coupon_unreadable", 422, Int32(3)), ("coupon_bad_seal", 422, 4), ("coupon_bad_signature", 422, 5),
        ("coupon_tampered", 422, 6), ("not_a_member", 403, 7), ("method_not_allowed", 405, 7),
        ("internal_error", 500, 2),
    ])
    func knownReasons(_ code: String, _ status: Int, _ exit: Int32) {
        let failure = APIClient.failure(status: status, body: Self.problem(code, status: status))
        #expect(failure.exitCode.rawValue == exit)
        #expect(failure.message == "refused by the server: \(code): why")
    }

    /// A code from a newer server is still a refusal (7), or a server fault when 5xx.
    @Test func unknownReasons() {
        let refusal = APIClient.failure(status: 422, body: Self.problem("coupon_frozen", status: 422))
        #expect(refusal.exitCode.rawValue == 7)
        #expect(refusal.message == "refused by the server: coupon_frozen: why")
        #expect(APIClient.failure(status: 503, body: Self.problem("overloaded", status: 503)).exitCode.rawValue == 2)
    }

    @Test func answersThatAreNotProblems() {
        let failure = APIClient.failure(status: 502, body: Data("<html>bad gateway</html>".utf8))
        #expect(failure.exitCode.rawValue == 2)
        #expect(failure.message == "the server answered HTTP 502")
    }

    /// Nothing listens on port 1: one line, exit 2.
    @Test func unreachableServer() async throws {
        let client = APIClient(baseURL: URL(string: "http://127.0.0.1:1/")!, token: nil)
        do {
            _ = try await client.call { try await $0.getHealth().ok.body.json }
            Issue.record("expected a failure")
        } catch {
            #expect(error.exitCode.rawValue == 2)
            #expect(error.message.hasPrefix("cannot reach the server at http://127.0.0.1:1/: "))
            #expect(!error.message.contains("\n"))
        }
    }
}
