import CouponKit
@testable import CouponSQLite
@testable import CouponStore
import Foundation
import GRDB
import StoreTestSupport
import TestSupport
import Testing

/// `coupon-server audit`, run as a real process on a demo database.
@Suite struct AuditCommandTests {
    private static let executable = ProcessRunner.builtExecutable("coupon-server")

    private func run(_ arguments: [String]) async throws -> ProcessRunner.Result {
        try await ProcessRunner.run(Self.executable, arguments)
    }

    /// `seed-demo` by the binary, then two orders of the demo's first product settled
    /// through the store's write path.
    private func seededDatabase() async throws -> (AuditFixture, String, [Order]) {
        let directory = makeTemporaryDirectory()
        let seed = try await run(["seed-demo", "--data", directory])
        #expect(seed.status == 0, "\(seed.stderr)")
        let store = try SQLiteStore(dataDirectory: directory)
        let product = try #require(try await store.products().first)
        let fixture = try await AuditFixture.make(store, merchantId: product.merchantId, productId: product.id)
        let orders = [
            try await fixture.settle(list: product.price.amount, discount: product.price.amount * 15 / 100),
            try await fixture.settle(list: product.price.amount * 2, discount: 0, quantity: 2),
        ]
        return (fixture, directory, orders)
    }

    @Test func aCleanDatabaseAuditsCleanAndExitsZero() async throws {
        let (_, directory, _) = try await seededDatabase()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let json = try await run(["audit", "--data", directory, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout == "{\"ledger_balanced\":true,\"orders\":2,\"ledger_entries\":4,\"problems\":[]}\n")
        let text = try await run(["audit", "--data", directory])
        #expect(text.status == 0)
        #expect(text.stdout.contains("ledger: balanced"))
        #expect(text.stdout.hasSuffix("the books prove themselves\n"))
    }

    /// A tamperer drops the trigger that closes transactions and adds an entry to a
    /// settled one; the audit finds it and exits 1.
    @Test func aTamperedDatabaseIsReportedAndExitsOne() async throws {
        let (fixture, directory, orders) = try await seededDatabase()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let target = orders[0]
        try await fixture.execute("DROP TRIGGER ledger_entries_closed")
        try await fixture.execute(
            """
            INSERT INTO ledger_entries (transaction_id, account, amount, currency, created_at)
            VALUES (?, 'merchant:skim', 100, 'EUR', 'now')
            """, [target.transactionId])

        let result = try await run(["audit", "--data", directory, "--json"])
        #expect(result.status == 1)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["ledger_balanced", "orders", "ledger_entries", "problems"])
        #expect(object["ledger_balanced"] as? Bool == false)
        #expect(object["orders"] as? Int == 2)
        #expect(object["ledger_entries"] as? Int == 5)
        let problems = try #require(object["problems"] as? [[String: Any]])
        #expect(problems.map { $0["kind"] as? String } == ["transaction_unbalanced", "ledger_mismatch"])
        #expect(problems.map { $0["transaction_id"] as? String } == [target.transactionId, target.transactionId])
        #expect(problems[0]["order_id"] is NSNull)
        #expect(problems[1]["order_id"] as? String == target.id)
        #expect(problems[0]["detail"] as? String == "entries sum to 100 EUR")

        let text = try await run(["audit", "--data", directory])
        #expect(text.status == 1)
        #expect(text.stdout.contains("ledger: NOT balanced"))
        #expect(text.stdout.contains("problem: ledger_mismatch: order \(target.id): expected "))
    }

    @Test func usageErrorsExitOneAndStorageFaultsExitTwo() async throws {
        let usage = try await run(["audit", "--no-such-flag"])
        #expect(usage.status == 1)
        let file = makeTemporaryDirectory()
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let fault = try await run(["audit", "--data", file, "--json"])
        #expect(fault.status == 2)
        #expect(fault.stdout.isEmpty)
        #expect(fault.stderr.hasPrefix("coupon-server: cannot open the data directory \(file)"))
    }
}
