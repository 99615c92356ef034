import CouponKit
@testable import CouponPostgres
import CouponStore
import Foundation
import Logging
import PostgresNIO
import StoreTestSupport
import Testing
import TestSupport

/// The PostgreSQL store on its own: its lifecycle, migrations that race, the schema's
/// guards, and settlement decisions taken by two stores (two pools, as two server
/// instances have) on one database. The repository behaviour both stores share is
/// tested through the server by the suites parameterised over ``StoreKind``.
@Suite struct PostgresStoreTests {
    private static func logger() -> Logger {
        var logger = Logger(label: "couponmark.tests.postgres")
        logger.logLevel = .warning
        return logger
    }

    private static func connect(_ url: String, poolSize: Int = 6) async throws -> PostgresStore {
        try await PostgresStore.connect(url: PostgresURL(url), poolSize: poolSize, logger: logger())
    }

    /// Two instances starting on a fresh database at the same moment: both migrate (one
    /// waits on the advisory lock, then finds nothing to do), both start, and the schema
    /// is recorded once per version. Reveal-key epoch 1 is created once.
    @Test func twoStoresMigratingAtOnceBothSucceed() async throws {
        let url = try await PostgresCluster.shared().createDatabase()
        async let first = Self.connect(url)
        async let second = Self.connect(url)
        let (a, b) = try await (first, second)
        async let keyA = a.ensureRevealKey()
        async let keyB = b.ensureRevealKey()
        let (ka, kb) = try await (keyA, keyB)
        #expect(ka == kb)
        #expect(ka.epoch == 1)
        let versions = try await a.rows("SELECT version FROM schema_migrations ORDER BY version").map {
            try $0.decode(Int.self)
        }
        #expect(versions == Array(1...PostgresStore.schemaVersion))
        #expect(try await b.keyRing().revealKeys.map(\.epoch) == [1])
        await a.shutdown()
        await b.shutdown()
    }

    @Test func reconnectingKeepsDataAndMigratesNothing() async throws {
        let url = try await PostgresCluster.shared().createDatabase()
        let store = try await Self.connect(url)
        let first = try await store.ensureRevealKey()
        await store.shutdown()
        let again = try await Self.connect(url)
        #expect(try await again.ensureRevealKey() == first)
        #expect(try await again.rotateRevealKey().epoch == 2)
        #expect(try await again.keyRing().revealKeys.map(\.epoch) == [1, 2])
        await again.shutdown()
    }

    /// The robust layer's migration computes `robust_id` for the coupons already stored in
    /// SQL (`sha256`); run again over a coupon stored by this build, it must give the
    /// identifier CouponRobustIdentity gives in Swift.
    @Test func theMigrationsRobustIdIsTheIdentifierSwiftComputes() async throws {
        let store = try await makePostgresStore()
        let issuer = IssuerKey()
        let merchant = try await store.createMerchant(name: "Shop", issuer: issuer.publicKey, tokenHash: "h", at: Date())
        let product = try await store.createProduct(
            NewProduct(merchantId: merchant.id, sku: "S", name: "Lamp", description: "", price: Money(amount: 100, currency: Currency("EUR")!)),
            at: Date())
        let coupon = StoredCoupon(
            id: "cpn_1", productId: product.id, issuerId: issuer.publicKey.id, serial: "SERIAL-ü-1", title: "T",
            discount: .rate(basisPoints: 100), png: [1, 2, 3])
        try await store.addCoupon(coupon, at: Date())
        _ = try await store.rows("UPDATE coupons SET robust_id = 'x'")
        let backfill = try #require(PostgresSchema.robustLayer.first { $0.contains("UPDATE coupons SET robust_id") })
        _ = try await store.rows(PostgresQuery(unsafeSQL: backfill))
        let stored = try await store.coupon(issuerId: coupon.issuerId, serial: coupon.serial)
        #expect(stored?.robustId == CouponRobustIdentity.hex(issuerId: coupon.issuerId, serial: coupon.serial))
        await store.shutdown()
    }

    @Test func aNewerSchemaIsRefused() async throws {
        let url = try await PostgresCluster.shared().createDatabase()
        let store = try await Self.connect(url)
        _ = try await store.rows(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (\(PostgresStore.schemaVersion + 1), 'later')")
        await store.shutdown()
        let error = await #expect(throws: PostgresStore.ConnectFailure.self) { try await Self.connect(url) }
        #expect(error.map { "\($0)" }?.contains("newer than this build knows") == true)
    }

    @Test func anUnreachableDatabaseFailsAtOnceWithoutThePassword() async throws {
        let cluster = try await PostgresCluster.shared()
        let url = "postgres://postgres:hunter2@127.0.0.1:\(cluster.port)/no_such_database"
        let error = await #expect(throws: PostgresStore.ConnectFailure.self) { try await Self.connect(url) }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("no_such_database"))
        #expect(text.contains("***"))
        #expect(!text.contains("hunter2"))
    }

    @Test func theLedgerAndMoneyTablesAreAppendOnly() async throws {
        let store = try await makePostgresStore()
        let fixture = try await AuditFixture.make(store)
        try await fixture.settle(list: 1, discount: 0)
        for statement: PostgresQuery in [
            "UPDATE ledger_entries SET amount = 2", "DELETE FROM ledger_entries", "TRUNCATE ledger_entries CASCADE",
            "UPDATE orders SET total_amount = 0", "DELETE FROM payments", "DELETE FROM ledger_transactions",
        ] {
            await #expect(throws: PSQLError.self, "\(statement.sql)") { _ = try await store.rows(statement) }
        }
        #expect(try await store.ledgerEntries().map(\.amount) == [-1, 1])
        #expect(try await store.audit().isClean)
        await store.shutdown()
    }

    /// Closing a ledger transaction whose entries do not balance is refused, and so is
    /// an entry whose transaction is never closed (the foreign key checked at COMMIT).
    @Test func anUnbalancedLedgerTransactionCannotBeCommitted() async throws {
        let store = try await makePostgresStore()
        let logger = Self.logger()
        await #expect(throws: PSQLError.self) {
            try await store.transaction { connection in
                try await connection.run(
                    """
                    INSERT INTO ledger_entries (transaction_id, account, amount, currency, created_at)
                    VALUES ('txn_x', 'member:a', -5, 'EUR', 'now'), ('txn_x', 'merchant:b', 4, 'EUR', 'now')
                    """, logger: logger)
                try await connection.run(
                    "INSERT INTO ledger_transactions (id, created_at) VALUES ('txn_x', 'now')", logger: logger)
            }
        }
        await #expect(throws: PSQLError.self) {
            try await store.transaction { connection in
                try await connection.run(
                    """
                    INSERT INTO ledger_entries (transaction_id, account, amount, currency, created_at)
                    VALUES ('txn_y', 'member:a', -5, 'EUR', 'now'), ('txn_y', 'merchant:b', 5, 'EUR', 'now')
                    """, logger: logger)
            }
        }
        #expect(try await store.ledgerEntries().isEmpty)
        await store.shutdown()
    }

    /// Racing joins with one email (in any case) on two stores: one member.
    @Test func aTakenEmailIsRefusedOnEitherStore() async throws {
        let url = try await PostgresCluster.shared().createDatabase()
        let (a, b) = (try await Self.connect(url), try await Self.connect(url))
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<10 {
                let store = index % 2 == 0 ? a : b
                group.addTask {
                    do {
                        _ = try await store.createMember(
                            NewMember(kind: .individual, name: "A", email: index % 3 == 0 ? "Same@Example.org" : "same@example.org", company: nil),
                            tokenHash: AccessToken.generate(.member).hash, at: Date())
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 1)
        let members = try await a.rows("SELECT COUNT(*) FROM members").map { try $0.decode(Int.self) }
        #expect(members == [1])
        await a.shutdown()
        await b.shutdown()
    }

    /// 30 settlements of a coupon with `max_uses_total` 5 and `max_uses_per_member` 2,
    /// spread over two stores on one database (two instances): exactly 5 settle, no
    /// member more than twice, and each idempotency key settles at most once even when
    /// the same key is sent to both stores at once.
    @Test func limitsAndIdempotencyHoldAcrossTwoStores() async throws {
        let url = try await PostgresCluster.shared().createDatabase()
        let (a, b) = (try await Self.connect(url, poolSize: 8), try await Self.connect(url, poolSize: 8))
        let fixture = try await AuditFixture.make(a)
        var members: [String] = []
        for _ in 0..<3 {
            members.append(try await AuditFixture.make(a, merchantId: fixture.merchantId, productId: fixture.productId).memberId)
        }
        let issuer = try #require(try await a.merchant(id: fixture.merchantId)).issuerId
        let memberIds = members
        let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<30 {
                let member = memberIds[index % 3]
                // Every key is sent twice, once to each store.
                let key = "key-\(index)"
                for store in [a, b] {
                    group.addTask {
                        let suffix = "\(index)-\(UUID().uuidString.prefix(8))"
                        let order = Order(
                            id: "ord_\(suffix)", memberId: member, productId: fixture.productId,
                            merchantId: fixture.merchantId, quantity: 1,
                            listTotal: Money(amount: 1000, currency: Currency("EUR")!),
                            discount: Money(amount: 100, currency: Currency("EUR")!),
                            total: Money(amount: 900, currency: Currency("EUR")!), couponSerial: "S-1",
                            paymentId: "pay_\(suffix)", transactionId: "txn_\(suffix)", createdAt: "2026-11-28T02:00:00Z")
                        do {
                            let outcome = try await store.settle(
                                Settlement(
                                    order: order,
                                    redemption: .init(issuerId: issuer, serial: "S-1", maxUsesTotal: 5, maxUsesPerMember: 2),
                                    idempotencyKey: key,
                                    response: IdempotencyRecord(fingerprint: "f", status: 201, body: Array(suffix.utf8))))
                            switch outcome {
                            case .settled: return "settled"
                            case .alreadyRecorded: return "replayed"
                            }
                        } catch StoreError.couponExhausted(_, let perMember) {
                            return perMember ? "member" : "total"
                        }
                    }
                }
            }
            return try await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
        }
        #expect(outcomes["settled"] == 5)
        #expect(outcomes.values.reduce(0, +) == 60)
        let orders = try await a.ledgerEntries().count / 2
        #expect(orders == 5)
        for member in members {
            #expect(try await b.orders(memberId: member).count <= 2)
        }
        // A key that settled is replayed to its twin; one refused is free for its twin to try.
        let keys = try await a.rows("SELECT COUNT(*) FROM idempotency_keys").map { try $0.decode(Int.self) }
        #expect(keys == [5])
        #expect(try await b.audit().isClean)
        await a.shutdown()
        await b.shutdown()
    }
}

@Suite struct PostgresURLTests {
    @Test func parsesAndHidesThePassword() throws {
        let url = try PostgresURL("postgres://app:s%40cret@db.example:6543/coupons?sslmode=require")
        #expect(url.host == "db.example")
        #expect(url.port == 6543)
        #expect(url.username == "app")
        #expect(url.password == "s@cret")
        #expect(url.database == "coupons")
        #expect(url.tls == .require)
        #expect(url.description == "postgres://app:***@db.example:6543/coupons?sslmode=require")
        #expect(!url.description.contains("cret"))
    }

    @Test func loopbackDefaultsToNoTLS() throws {
        #expect(try PostgresURL("postgresql://u@127.0.0.1/d").tls == .disable)
        #expect(try PostgresURL("postgresql://u@127.0.0.1/d").port == 5432)
        #expect(try PostgresURL("postgres://u@db.internal/d").tls == .prefer)
    }

    @Test(arguments: [
        "mysql://u@h/d", "postgres://h/d", "postgres://u@h", "postgres://u@h/", "postgres://u@h/d?sslmode=maybe",
        "postgres://u@h/d?search_path=x", "postgres://u@h:0/d", "not a url",
    ])
    func refuses(_ text: String) {
        #expect(throws: PostgresURL.Invalid.self) { try PostgresURL(text) }
    }
}
