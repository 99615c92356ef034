import Foundation
import HummingbirdTesting
import Testing

/// A client that sends `Connection: close` and writes its whole oversized body before
/// reading (Python's urllib does) still reads its 413: the server drains the body up to
/// a bound, or, for a body declared larger than that bound, answers at once and closes.
@Suite struct PromptRefusalTests {
    static func request(token: String, length: Int) -> [UInt8] {
        Array(
            ("POST /v1/orders HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer \(token)\r\n"
                + "Content-Type: application/json\r\nIdempotency-Key: raw-\(length)\r\n"
                + "Content-Length: \(length)\r\nConnection: close\r\n\r\n").utf8)
    }

    @Test(arguments: [
        (24 << 20, true),  // under the drain bound: read and dropped, then answered
        (48 << 20, false),  // over it: answered at once, the connection closed under the sender
    ])
    func oversizedBodiesAreAnsweredPromptly(length: Int, drained: Bool) async throws {
        let server = try TestServer(maxBodyBytes: 64 * 1024, maxDrainBytes: 32 << 20)
        try await server.test(.live) { client in
            let member = try await client.join()
            let port = try #require(client.port)
            let exchange = try await RawSocket.exchange(
                port: port, head: Self.request(token: member.token, length: length), bodyLength: length)
            let answer = String(decoding: exchange.received, as: UTF8.self)
            #expect(answer.hasPrefix("HTTP/1.1 413"), "got: \(answer.prefix(80))")
            #expect(answer.contains("payload_too_large"))
            #expect(exchange.closed, "the connection stays open")
            // What shows the server did not wait is the answer itself: every send and
            // receive has 5 s (RawSocket), and a server that waited for the client would
            // have left it blocked in a send.
            if drained {
                #expect(exchange.sendFailure == nil, "the body was not read: \(String(describing: exchange.sendFailure))")
            } else {
                #expect(exchange.sendFailure?.errno == ECONNRESET || exchange.sendFailure?.errno == EPIPE)
            }
            // The refusal is recorded like any other.
            let rejections = try #require(try await client.history(member)["rejections"] as? [[String: Any]])
            #expect(rejections.map { $0["code"] as? String } == ["payload_too_large"])
        }
    }
}
