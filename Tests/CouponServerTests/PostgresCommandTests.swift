import CouponKit
import CouponPostgres
import CouponStore
import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Logging
import TestSupport
import Testing

/// `coupon-server`'s admin commands as real processes on a PostgreSQL database:
/// `--postgres URL` (or `COUPONMARK_POSTGRES_URL`) instead of `--data DIR`.
@Suite struct PostgresCommandTests {
    private static let executable = ProcessRunner.builtExecutable("coupon-server")

    /// Runs the binary off the cooperative threads (waiting for a process blocks its
    /// thread, and the tests running meanwhile need them).
    private func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> ProcessRunner.Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Result { try ProcessRunner.run(Self.executable, arguments, environment: environment) })
            }
        }
    }

    @Test func everyAdminCommandWorksOnPostgres() async throws {
        let url = try await PostgresCluster.shared().createDatabase()
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let migrate = try await run(["migrate", "--postgres", url])
        #expect(migrate.status == 0, "\(migrate.stderr)")
        #expect(migrate.stdout.contains("schema version \(PostgresStore.schemaVersion)"))

        let seed = try await run(["seed-demo", "--postgres", url, "--data", directory])
        #expect(seed.status == 0, "\(seed.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory + "/demo/merchant.token"))
        let again = try await run(["seed-demo", "--postgres", url, "--data", directory])
        #expect(again.stdout.contains("already present"), "\(again.stderr)")

        let issuerDirectory = directory + "/issuer"
        try FileManager.default.createDirectory(atPath: issuerDirectory, withIntermediateDirectories: true)
        let key = IssuerKey()
        try Data(key.publicKey.base64.utf8).write(to: URL(fileURLWithPath: issuerDirectory + "/issuer.pub"))
        let added = try await run(["merchant", "add", "--name", "Shop", "--public-key", issuerDirectory + "/issuer.pub",
            "--json", "--postgres", url])
        #expect(added.status == 0, "\(added.stderr)")
        let merchant = try #require(
            try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: String])
        let merchantId = try #require(merchant["merchant_id"])
        let twice = try await run(["merchant", "add", "--name", "Shop", "--public-key", issuerDirectory + "/issuer.pub",
            "--postgres", url])
        #expect(twice.status == 1)
        #expect(twice.stderr.contains("already exists"))

        let rotated = try await run(["merchant", "rotate-token", "--merchant-id", merchantId, "--json", "--postgres", url])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        let unknown = try await run(["merchant", "rotate-token", "--merchant-id", "mch_nope", "--postgres", url])
        #expect(unknown.status == 1)

        // The environment names the database when neither --postgres nor --data is given.
        let environment = ["COUPONMARK_POSTGRES_URL": url]
        let rotate = try await run(["keys", "rotate"], environment: environment)
        #expect(rotate.status == 0, "\(rotate.stderr)")
        #expect(rotate.stdout.contains("epoch 2"))
        let newest = try await run(["keys", "retire", "--epoch", "2", "--postgres", url])
        #expect(newest.status == 1)
        let retire = try await run(["keys", "retire", "--epoch", "1", "--postgres", url])
        #expect(retire.status == 0, "\(retire.stderr)")
        #expect(retire.stdout.contains("retired"))

        let audit = try await run(["audit", "--json", "--postgres", url])
        #expect(audit.status == 0, "\(audit.stderr)")
        #expect(audit.stdout == "{\"ledger_balanced\":true,\"orders\":0,\"ledger_entries\":0,\"problems\":[]}\n")

        var logger = Logger(label: "tests")
        logger.logLevel = .warning
        let store = try await PostgresStore.connect(url: PostgresURL(url), poolSize: 2, logger: logger)
        #expect(try await store.keyRing().retiredEpochs == [1])
        #expect(try await store.products().count >= 1)
        await store.shutdown()
    }

    @Test func aWrongURLIsAUsageErrorAndAnUnreachableDatabaseAStorageFault() async throws {
        let bad = try await run(["audit", "--postgres", "mysql://u:topsecret@h/d"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("postgres://"))
        #expect(!bad.stderr.contains("topsecret"))
        let cluster = try await PostgresCluster.shared()
        let missing = try await run(["audit", "--postgres", "postgres://postgres:topsecret@127.0.0.1:\(cluster.port)/nope"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("postgres://postgres:***@127.0.0.1"), "\(missing.stderr)")
        #expect(!missing.stderr.contains("topsecret"))
    }

    /// Two `serve --postgres` instances started at the same moment on one fresh database:
    /// both migrate and listen, serve the same key ring, and an email joined on one is
    /// taken on the other.
    @Test func twoServeInstancesShareOneDatabase() async throws {
        let url = try await PostgresCluster.shared().createDatabase()
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        async let startA = ServeProcess.start(["--postgres", url, "--postgres-pool", "4", "--data", directory])
        async let startB = ServeProcess.start(["--postgres", url, "--postgres-pool", "4", "--data", directory])
        let (a, b) = try await (startA, startB)
        defer {
            a.terminate()
            b.terminate()
        }
        let join = #"{"kind":"individual","name":"A","email":"one@example.org"}"#
        let joined = try await a.request("POST", "/v1/members", body: join)
        #expect(joined.status == 201)
        let member = try JSONSerialization.jsonObject(with: Data(joined.body)) as? [String: Any]
        let token = try #require(member?["token"] as? String)
        // A token issued by one instance is good on the other; both serve one key ring.
        let keysA = try await a.request("GET", "/v1/keys", token: token)
        let keysB = try await b.request("GET", "/v1/keys", token: token)
        #expect(keysA.status == 200)
        #expect(keysA.body == keysB.body)
        let again = try await b.request("POST", "/v1/members", body: join.replacingOccurrences(of: "one@", with: "ONE@"))
        #expect(again.status == 409)
        #expect(String(decoding: again.body, as: UTF8.self).contains("member_exists"))
        #expect(await a.stop() == 0)
        #expect(await b.stop() == 0)
    }
}

/// `coupon-server serve --port 0 ...` as a process, once it listens.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let base: String
    private let output = Pipe()
    private let logLock = NSLock()
    private var logged = ""

    /// What it printed so far (standard output and error).
    var log: String { logLock.withLock { logged } }

    private init(_ arguments: [String]) throws {
        process.executableURL = ProcessRunner.builtExecutable("coupon-server")
        process.arguments = ["serve", "--port", "0"] + arguments
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let handle = output.fileHandleForReading
        var seen = ""
        var port: String?
        let deadline = Date().addingTimeInterval(30)
        while port == nil, Date() < deadline, process.isRunning {
            let chunk = handle.availableData
            if chunk.isEmpty { continue }
            seen += String(decoding: chunk, as: UTF8.self)
            if let range = seen.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = seen[range].split(separator: ":").last.map(String.init)
            }
        }
        guard let port else {
            process.terminate()
            throw StartFailure(output: seen)
        }
        base = "http://127.0.0.1:\(port)"
        logged = seen
        handle.readabilityHandler = { [weak self] handle in
            let chunk = String(decoding: handle.availableData, as: UTF8.self)
            guard let self else { return }
            self.logLock.withLock { self.logged += chunk }
        }
    }

    struct StartFailure: Error, CustomStringConvertible {
        let output: String
        var description: String { "coupon-server serve did not start: \(output)" }
    }

    /// Starts it off the cooperative threads (the start-up wait blocks).
    static func start(_ arguments: [String]) async throws -> ServeProcess {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try ServeProcess(arguments) }) }
        }
    }

    func request(_ method: String, _ path: String, body: String? = nil, token: String? = nil) async throws
        -> (status: Int, body: [UInt8])
    {
        var request = URLRequest(url: try #require(URL(string: base + path)))
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, Array(data))
    }

    /// SIGTERM, then the exit status (0 for a graceful shutdown), waited for off the
    /// cooperative threads.
    func stop() async -> Int32 {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                if self.process.isRunning { self.process.terminate() }
                self.process.waitUntilExit()
                self.output.fileHandleForReading.readabilityHandler = nil
                let rest = String(decoding: self.output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                self.logLock.withLock { self.logged += rest }
                continuation.resume(returning: self.process.terminationStatus)
            }
        }
    }

    /// SIGTERM without waiting (a test that failed half-way).
    func terminate() {
        if process.isRunning { process.terminate() }
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
