import CouponKit
import CouponPostgres
import CouponSQLite
import CouponStore
import Foundation
import Logging
import StoreTestSupport
import TestSupport
import Testing

/// `coupon-server sessions list|end`, run as a real process on sessions written through
/// the store: it shows a session only by its hash's first 12 digits, its expiry, kind and
/// principal (never the rest of its JSON), and ends exactly the sessions it is told to.
@Suite(.timeLimit(.minutes(5))) struct SessionCommandTests {
    private static let executable = ProcessRunner.builtExecutable("coupon-server")

    private func run(_ arguments: [String]) async throws -> ProcessRunner.Result {
        let result = try await ProcessRunner.run(Self.executable, arguments)
        #expect(!result.timedOut, "coupon-server \(arguments.joined(separator: " "))")
        return result
    }

    /// A session value as the web layer writes it, CSRF token included.
    private static func value(kind: String, principal: String) -> String {
        #"{"kind":"\#(kind)","principal_id":"\#(principal)","csrf":"SECRET-CSRF-TOKEN","extra":"hidden"}"#
    }

    /// Three live sessions (a member's expiring in an hour, a merchant's in two, one whose
    /// JSON says nothing) and an expired one, written through `store`.
    private func writeSessions(_ store: some SessionRepository) async throws -> (member: String, merchant: String) {
        let now = Date()
        let member = SHA256Hex.of("member-cookie".utf8)
        let merchant = SHA256Hex.of("merchant-cookie".utf8)
        try await store.createSession(
            StoredSession(keyHash: member, value: Self.value(kind: "member", principal: "mem_1"),
                expiresAt: now.addingTimeInterval(3600)), now: now)
        try await store.createSession(
            StoredSession(keyHash: merchant, value: Self.value(kind: "merchant", principal: "mch_1"),
                expiresAt: now.addingTimeInterval(7200)), now: now)
        try await store.createSession(
            StoredSession(keyHash: SHA256Hex.of("odd".utf8), value: "not json", expiresAt: now.addingTimeInterval(9000)),
            now: now)
        try await store.createSession(
            StoredSession(keyHash: SHA256Hex.of("expired".utf8), value: Self.value(kind: "member", principal: "mem_2"),
                expiresAt: now.addingTimeInterval(-60)), now: now.addingTimeInterval(-120))
        return (member, merchant)
    }

    @Test func listShowsOnlyThePrefixExpiryKindAndPrincipal() async throws {
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (member, merchant) = try await writeSessions(try SQLiteStore(dataDirectory: directory))

        let text = try await run(["sessions", "list", "--data", directory])
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(text.stdout)")
        #expect(lines[0].hasPrefix(String(member.prefix(12)) + "  "))
        #expect(lines[0].hasSuffix("  member  mem_1"))
        #expect(lines[1].hasPrefix(String(merchant.prefix(12)) + "  "))
        #expect(lines[1].hasSuffix("  merchant  mch_1"))
        #expect(lines[2].hasSuffix("  -  -"))
        #expect(!text.stdout.contains(String(member.prefix(13))))
        #expect(!text.stdout.contains("SECRET") && !text.stdout.contains("hidden") && !text.stdout.contains("mem_2"))

        let json = try await run(["sessions", "list", "--json", "--data", directory])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(!json.stdout.contains("SECRET") && !json.stdout.contains("hidden"))
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(listed.map { Set($0.keys) } == Array(repeating: ["key_hash_prefix", "kind", "principal_id", "expires_at"], count: 3))
        #expect(listed.map { $0["key_hash_prefix"] as? String } == [String(member.prefix(12)), String(merchant.prefix(12)), String(SHA256Hex.of("odd".utf8).prefix(12))])
        #expect(listed.map { $0["kind"] as? String } == ["member", "merchant", nil])
        #expect(listed[2]["principal_id"] is NSNull)
        #expect((listed[0]["expires_at"] as? String).flatMap(ISO8601DateFormatter().date(from:)) != nil)
    }

    @Test func endTakesOneUniquePrefixTheExpiredOrAll() async throws {
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(dataDirectory: directory)
        let (member, merchant) = try await writeSessions(store)
        // Two hashes that share their first 8 digits.
        let twins = ["abcdef01" + String(repeating: "0", count: 56), "abcdef01" + String(repeating: "1", count: 56)]
        for twin in twins { try await store.setSession(keyHash: twin, value: "{}", expiresAt: Date().addingTimeInterval(600)) }

        for (arguments, message) in [
            (["--key-hash", "abcdef0"], "8 to 64 hex digits"), (["--key-hash", "zzzzzzzz"], "8 to 64 hex digits"),
            ([], "exactly one of"), (["--expired", "--all"], "exactly one of"),
            (["--key-hash", "abcdef01"], "2 sessions"), (["--key-hash", "00000000"], "no unexpired session"),
        ] {
            let refused = try await run(["sessions", "end"] + arguments + ["--data", directory])
            #expect(refused.status == 1, "\(arguments)")
            #expect(refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
        }
        #expect(try await store.sessions(now: Date()).count == 5)

        let one = try await run(["sessions", "end", "--key-hash", String(member.prefix(8)).uppercased(), "--data", directory])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout == "ended session \(member.prefix(12))\n")
        #expect(try await store.session(keyHash: member, now: Date()) == nil)
        #expect(try await store.session(keyHash: merchant, now: Date()) != nil)

        let expired = try await run(["sessions", "end", "--expired", "--data", directory])
        #expect(expired.status == 0, "\(expired.stderr)")
        #expect(expired.stdout == "deleted 1 expired session(s)\n")

        let all = try await run(["sessions", "end", "--all", "--data", directory])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stdout == "ended 4 session(s) and deleted 0 expired one(s)\n")
        #expect(try await store.sessions(now: Date()).isEmpty)
        let empty = try await run(["sessions", "list", "--data", directory])
        #expect(empty.stdout == "no sessions\n")
    }

    @Test func theCommandsWorkOnPostgres() async throws {
        let url = try await PostgresCluster.shared().createDatabase()
        var logger = Logger(label: "tests")
        logger.logLevel = .warning
        let store = try await PostgresStore.connect(url: PostgresURL(url), poolSize: 2, logger: logger)
        let (member, _) = try await writeSessions(store)
        await store.shutdown()

        let listed = try await run(["sessions", "list", "--json", "--postgres", url])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains(#""key_hash_prefix":"\#(member.prefix(12))""#), "\(listed.stdout)")
        #expect(!listed.stdout.contains("SECRET"))
        let ended = try await run(["sessions", "end", "--key-hash", String(member.prefix(10)), "--postgres", url])
        #expect(ended.status == 0, "\(ended.stderr)")
        let all = try await run(["sessions", "end", "--all", "--postgres", url])
        #expect(all.stdout == "ended 2 session(s) and deleted 1 expired one(s)\n", "\(all.stderr)")
    }
}
