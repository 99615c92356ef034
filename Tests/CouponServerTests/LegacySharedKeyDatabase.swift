import CouponKit
import CouponMinting
@testable import CouponPostgres
@testable import CouponSQLite
@testable import CouponStore
import Foundation
import GRDB
import Logging
import PostgresNIO
import RobustMark
import StoreTestSupport
import TestSupport
import Testing

/// A database as a server with the one shared robust key left it (SQLite "v5",
/// PostgreSQL schema version 3), written with that schema's own SQL: the shared key, a
/// reveal key, merchants A and B with a product each, and one coupon of B's (90 % off)
/// uploaded then, minted under the shared key with the v1 identifier. ``make(_:)`` then
/// opens it with today's store, which migrates it, and returns a server on it.
struct LegacySharedKeyDatabase {
    let sharedKey: RobustKey
    let revealKey: RevealKey
    let a: TestMerchant
    let b: TestMerchant
    let productA = "prod_legacy_a"
    let productB = "prod_legacy_b"
    /// B's coupon uploaded before the migration.
    let oldCoupon: CouponMinter.Minted

    /// A value bound to a `?` of the legacy SQL.
    fileprivate enum Value {
        case text(String), blob([UInt8]), int(Int), null
    }

    private init() throws {
        sharedKey = RobustKey()
        revealKey = RevealKey(epoch: 1)
        a = TestMerchant(id: "mch_legacy_a", token: AccessToken.generate(.merchant).value, issuer: IssuerKey())
        b = TestMerchant(id: "mch_legacy_b", token: AccessToken.generate(.merchant).value, issuer: IssuerKey())
        var minter = CouponMinter(issuer: b.issuer, revealKey: revealKey)
        minter.robustKey = sharedKey
        minter.robustDerivation = .v1
        let now = Int64(Date().timeIntervalSince1970)
        oldCoupon = try minter.mint(
            CouponTerms(
                serial: "OLD-STAFF-90", productId: productB, title: "Old staff deal", discount: .rate(basisPoints: 9000),
                validFrom: now - 86_400, validUntil: now + 86_400, maxUsesPerMember: nil, issuerId: b.issuer.publicKey.id))
    }

    /// The rows, as the old server would have written them.
    private var statements: [(String, [Value])] {
        let then = Timestamp.string(Date(timeIntervalSinceNow: -86_400))
        var rows: [(String, [Value])] = [
            ("INSERT INTO reveal_keys (epoch, key, created_at) VALUES (1, ?, ?)", [.blob(revealKey.rawBytes), .text(then)]),
            ("INSERT INTO robust_key (id, key, created_at) VALUES (1, ?, ?)", [.blob(sharedKey.rawBytes), .text(then)]),
        ]
        for (merchant, product) in [(a, productA), (b, productB)] {
            rows += [
                (
                    "INSERT INTO merchants (id, name, issuer_id, public_key, created_at) VALUES (?, ?, ?, ?, ?)",
                    [
                        .text(merchant.id), .text("Shop \(merchant.id)"), .text(merchant.issuer.publicKey.id),
                        .blob(merchant.issuer.publicKey.rawBytes), .text(then),
                    ]
                ),
                (
                    "INSERT INTO tokens (hash, merchant_id, created_at) VALUES (?, ?, ?)",
                    [.text(AccessToken.hash(merchant.token)), .text(merchant.id), .text(then)]
                ),
                (
                    """
                    INSERT INTO products (id, merchant_id, sku, name, description, price_amount, currency, created_at)
                    VALUES (?, ?, 'SKU', 'Thing', '', 10000, 'EUR', ?)
                    """,
                    [.text(product), .text(merchant.id), .text(then)]
                ),
            ]
        }
        rows.append(
            (
                """
                INSERT INTO coupons (id, product_id, issuer_id, serial, title, discount_kind, discount_value,
                    discount_currency, png, created_at, robust_id)
                VALUES ('cpn_legacy_b', ?, ?, ?, 'Old staff deal', 'rate', 9000, ?, ?, ?, ?)
                """,
                [
                    .text(productB), .text(oldCoupon.terms.issuerId), .text(oldCoupon.terms.serial), .null,
                    .blob(oldCoupon.png), .text(then),
                    .text(CouponRobustIdentity.hex(issuerId: oldCoupon.terms.issuerId, serial: oldCoupon.terms.serial)),
                ]
            ))
        return rows
    }

    /// Writes the legacy database of `kind`, migrates it by opening it, and returns the
    /// server on it.
    static func make(_ kind: StoreKind) async throws -> (LegacySharedKeyDatabase, TestServer) {
        let legacy = try LegacySharedKeyDatabase()
        let directory = makeTemporaryDirectory()
        switch kind {
        case .sqlite:
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let queue = try DatabaseQueue(path: directory + "/" + SQLiteStore.fileName)
            try SQLiteStore.migrator.migrate(queue, upTo: "v5")
            try await queue.write { db in
                for (sql, values) in legacy.statements {
                    try db.execute(sql: sql, arguments: StatementArguments(values.map(\.databaseValue)))
                }
            }
            try queue.close()
            return (legacy, TestServer(.sqlite, store: try SQLiteStore(dataDirectory: directory), directory: directory))
        case .postgres:
            let url = try await PostgresCluster.shared().createDatabase()
            var logger = Logger(label: "couponmark.tests.legacy")
            logger.logLevel = .warning
            let raw = try await PostgresStore.connect(url: PostgresURL(url), poolSize: 1, logger: logger, migrate: false)
            _ = try await raw.rows(
                "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY CHECK (version >= 1), applied_at TEXT NOT NULL)")
            for (index, version) in PostgresSchema.versions.prefix(3).enumerated() {
                for statement in version { _ = try await raw.rows(PostgresQuery(unsafeSQL: statement)) }
                _ = try await raw.rows("INSERT INTO schema_migrations (version, applied_at) VALUES (\(index + 1), 'then')")
            }
            for (sql, values) in legacy.statements {
                var bindings = PostgresBindings()
                for value in values { try value.append(to: &bindings) }
                _ = try await raw.rows(PostgresQuery(unsafeSQL: numbered(sql), binds: bindings))
            }
            await raw.shutdown()
            let store = try await PostgresStore.connect(url: PostgresURL(url), poolSize: 2, logger: logger)
            return (legacy, TestServer(.postgres, store: store, directory: directory))
        }
    }

    /// `?` placeholders as PostgreSQL's `$1`, `$2`, ...
    private static func numbered(_ sql: String) -> String {
        var count = 0
        return sql.map { character -> String in
            guard character == "?" else { return String(character) }
            count += 1
            return "$\(count)"
        }.joined()
    }
}

extension LegacySharedKeyDatabase.Value {
    fileprivate var databaseValue: DatabaseValue {
        switch self {
        case .text(let text): text.databaseValue
        case .blob(let bytes): Data(bytes).databaseValue
        case .int(let value): value.databaseValue
        case .null: .null
        }
    }

    fileprivate func append(to bindings: inout PostgresBindings) throws {
        switch self {
        case .text(let text): bindings.append(text)
        case .blob(let bytes): try bindings.append(Data(bytes), context: .default)
        case .int(let value): bindings.append(value)
        case .null: bindings.appendNull()
        }
    }
}
