import CouponKit
import CouponPostgres
import CouponStore
import Foundation
import Logging
import StoreTestSupport
import TestSupport
import Testing

/// `coupon-server`'s admin commands as real processes on a PostgreSQL database:
/// `--postgres URL` (or `COUPONMARK_POSTGRES_URL`) instead of `--data DIR`.
@Suite(.timeLimit(.minutes(5))) struct PostgresCommandTests {
    private static let executable = ProcessRunner.builtExecutable("coupon-server")

    /// Runs the binary to its end (killed after 300 s, which fails the test by name).
    private func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> ProcessRunner.Result {
        let result = try await ProcessRunner.run(Self.executable, arguments, environment: environment, deadline: 300)
        #expect(!result.timedOut, "coupon-server \(arguments.first ?? "")")
        return result
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

        // The merchant's robust keys: a new current one, then the older one retired.
        let robust = try await run(["merchant", "rotate-robust-key", "--merchant-id", merchantId, "--json", "--postgres", url])
        #expect(robust.status == 0, "\(robust.stderr)")
        #expect(robust.stdout.contains(#""generation":2"#), "\(robust.stdout)")
        let retiredRobust = try await run(["merchant", "retire-robust-keys", "--merchant-id", merchantId, "--json", "--postgres", url])
        #expect(retiredRobust.status == 0, "\(retiredRobust.stderr)")
        #expect(retiredRobust.stdout.contains(#""retired_generations":[1]"#), "\(retiredRobust.stdout)")

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
        async let startA = ServerProcess.start(["--postgres", url, "--postgres-pool", "4", "--data", directory])
        async let startB = ServerProcess.start(["--postgres", url, "--postgres-pool", "4", "--data", directory])
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
