import Foundation
import StoreTestSupport
import Testing
import TestSupport

/// SIGTERM to a real `coupon-server serve`: it stops taking connections, finishes the
/// requests it holds, with their normal answers, and exits 0.
@Suite(.timeLimit(.minutes(5))) struct GracefulShutdownTests {
    @Test(arguments: StoreKind.allCases) func sigtermFinishesInFlightOrders(_ kind: StoreKind) async throws {
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = kind == .sqlite ? [] : ["--postgres", try await PostgresCluster.shared().createDatabase()]
        let seed = try await ProcessRunner.run(
            ProcessRunner.builtExecutable("coupon-server"), ["seed-demo", "--data", directory] + store)
        try #require(seed.status == 0, "\(seed.stderr)")
        let server = try await ServerProcess.start(["--data", directory, "--log-format", "json"] + store)
        defer { server.terminate() }

        // The espresso coupon has no use limits: every order with it settles.
        let catalog = try await server.request("GET", "/v1/products")
        let products = try #require(
            (try JSONSerialization.jsonObject(with: Data(catalog.body)) as? [String: Any])?["products"] as? [[String: Any]])
        let product = try #require(products.first { $0["sku"] as? String == "ESP-1KG" }?["id"] as? String)
        let coupon = try await server.request("GET", "/v1/products/\(product)/coupon")
        try #require(coupon.status == 200)
        let joined = try await server.request(
            "POST", "/v1/members", body: #"{"kind":"individual","name":"A","email":"graceful@example.org"}"#)
        let token = try #require(
            (try JSONSerialization.jsonObject(with: Data(joined.body)) as? [String: Any])?["token"] as? String)
        let port = try #require(server.url.split(separator: ":").last.flatMap { Int($0) })
        let body = #"{"product_id":"\#(product)","quantity":1,"coupon_png":"\#(Data(coupon.body).base64EncodedString())"}"#

        // Every order but the first is written whole before SIGTERM; the verifier threads
        // (one per core) work through them one by one. The first order's last byte is held
        // back until after SIGTERM, so that at least one order is surely in flight then
        // (the others may all have finished on a fast machine).
        let count = 8
        let sent = Countdown()
        let released = Countdown()
        var orders: [Task<(status: Int, finishedAt: ContinuousClock.Instant), any Error>] = []
        for index in 0..<count {
            let request =
                "POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
                + "Idempotency-Key: graceful-\(index)\r\nX-Request-Id: graceful-\(index)\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
            let holdBack = index == 0 ? released : nil
            orders.append(
                Task { try await Self.exchange(port: port, request: Array(request.utf8), sent: sent, holdBack: holdBack) })
        }
        await Self.offThreads { sent.wait(for: count) }
        // Until the server has begun every one (its request line is logged as the request
        // starts): what is still in the kernel's accept queue at SIGTERM is refused, as by
        // any server that closes its listener.
        let deadline = ContinuousClock.now + .seconds(30)
        while (0..<count).contains(where: { !server.log.contains(#""hb.request.id":"graceful-\#($0)""#) }),
            ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(10))
        }
        let terminatedAt = ContinuousClock.now
        server.terminate()
        released.signal()

        var finishedAfterTerm = 0
        for order in orders {
            let (status, finishedAt) = try await order.value
            #expect(status == 201)
            if finishedAt > terminatedAt { finishedAfterTerm += 1 }
        }
        // Otherwise this test would have proved nothing.
        #expect(finishedAfterTerm > 0, "every order had finished before SIGTERM")
        // 0: it exited by itself after SIGTERM (stop() kills it after 30 s, which is 137).
        let status = await server.stop()
        #expect(status == 0)

        // `--log-format json`: every line one JSON object; each request's lines carry its id;
        // no line holds the bearer token.
        let lines = server.log.split(separator: "\n").filter { !$0.isEmpty }
        #expect(!lines.isEmpty)
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.count == lines.count, "not JSON: \(lines.filter { !$0.hasPrefix("{") })")
        let ids = Set(objects.compactMap { $0["hb.request.id"] as? String })
        #expect(ids.isSuperset(of: (0..<count).map { "graceful-\($0)" }))
        #expect(!server.log.contains(token))
    }

    /// Connects, writes the whole request (with `holdBack`: all but its last byte, which
    /// goes once `holdBack` is signalled), says so, then reads the answer until the server
    /// closes: on a thread of its own (the calls block).
    static func exchange(port: Int, request: [UInt8], sent: Countdown, holdBack: Countdown? = nil) async throws
        -> (status: Int, finishedAt: ContinuousClock.Instant)
    {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do throws(RawSocketError) {
                    let socket = try RawSocket(port: port, timeout: 60)
                    if let holdBack {
                        try socket.send(Array(request.dropLast()))
                        sent.signal()
                        holdBack.wait(for: 1)
                        try socket.send(Array(request.suffix(1)))
                    } else {
                        try socket.send(request)
                        sent.signal()
                    }
                    let (bytes, _) = socket.receiveAll()
                    let head = String(decoding: bytes.prefix(32), as: UTF8.self)
                    let status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
                    continuation.resume(returning: (status, ContinuousClock.now))
                } catch {
                    sent.signal()
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    static func offThreads(_ work: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                work()
                continuation.resume()
            }
        }
    }
}

/// Counts signals; `wait(for:)` blocks until there were that many (signals it waited
/// for are used up: each countdown here has one waiter).
struct Countdown: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)

    func signal() { semaphore.signal() }

    func wait(for target: Int) {
        for _ in 0..<target { semaphore.wait() }
    }
}
