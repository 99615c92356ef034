import CouponKit
@testable import CouponSQLite
@testable import CouponStore
import Foundation
import GRDB
import StoreTestSupport
import Testing

/// A database made by the "v1" schema (merchant keys as base64 TEXT) opens, migrates to
/// "v2" (keys as 32-byte BLOBs) and yields the same key bytes.
@Suite struct StoreMigrationTests {
    /// A database file migrated only up to "v1", with one reveal key, one merchant whose
    /// public key is base64 text, and rows that reference the merchant.
    private func makeV1Database(publicKeyText: String, revealKey: [UInt8]) throws -> (DatabaseQueue, String) {
        let directory = makeTemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: directory + "/" + SQLiteStore.fileName)
        try SQLiteStore.migrator.migrate(queue, upTo: "v1")
        try queue.write { db in
            try db.execute(
                sql: "INSERT INTO reveal_keys (epoch, key, created_at) VALUES (1, ?, 'then')", arguments: [Data(revealKey)])
            try db.execute(
                sql: "INSERT INTO merchants (id, name, issuer_id, public_key, created_at) VALUES ('mch_1', 'Shop', 'iss_1', ?, 'then')",
                arguments: [publicKeyText])
            try db.execute(sql: "INSERT INTO tokens (hash, merchant_id, created_at) VALUES ('h', 'mch_1', 'then')")
            try db.execute(
                sql: """
                    INSERT INTO products (id, merchant_id, sku, name, description, price_amount, currency, created_at)
                    VALUES ('prod_1', 'mch_1', 'SKU', 'Lamp', '', 100, 'EUR', 'then')
                    """)
        }
        return (queue, directory)
    }

    /// A coupon stored before "v5" gets the robust identifier its issuer and serial give;
    /// with no shared key ever made, "v6" records it under no key (it never had a robust
    /// layer) and gives the merchant its own first key.
    @Test func couponsStoredBeforeTheRobustLayerCanBeLookedUpByIt() async throws {
        let directory = makeTemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let queue = try DatabaseQueue(path: directory + "/" + SQLiteStore.fileName)
        try SQLiteStore.migrator.migrate(queue, upTo: "v4")
        try await queue.write { db in
            try db.execute(
                sql: "INSERT INTO merchants (id, name, issuer_id, public_key, created_at) VALUES ('mch_1', 'Shop', 'iss_1', ?, 'then')",
                arguments: [Data(IssuerKey().publicKey.rawBytes)])
            try db.execute(
                sql: """
                    INSERT INTO products (id, merchant_id, sku, name, description, price_amount, currency, created_at)
                    VALUES ('prod_1', 'mch_1', 'SKU', 'Lamp', '', 100, 'EUR', 'then');
                    INSERT INTO coupons (id, product_id, issuer_id, serial, title, discount_kind, discount_value, png, created_at)
                    VALUES ('cpn_1', 'prod_1', 'iss_1', 'OLD-1', 'Old', 'rate', 100, x'00', 'then');
                    """)
        }
        let store = try SQLiteStore(writer: queue)
        let found = try await store.coupon(issuerId: "iss_1", serial: "OLD-1")
        #expect(found?.id == "cpn_1")
        #expect(found?.robustId == CouponRobustIdentity.hex(issuerId: "iss_1", serial: "OLD-1"))
        #expect(found?.robustKeyGeneration == nil)
        #expect(try await store.coupon(issuerId: "iss_1", serial: "OLD-2") == nil)
        let keys = try await store.robustKeys(merchantId: "mch_1")
        #expect(keys.map(\.generation) == [1])
        #expect(keys.first?.derivation == .v2)
        #expect(keys.first?.current == true)
    }

    @Test func v1KeysSurviveTheMoveToBlobs() async throws {
        let issuer = IssuerKey().publicKey
        let raw = issuer.rawBytes
        let reveal = (0..<32).map { UInt8($0 * 7 & 0xff) }
        let (queue, directory) = try makeV1Database(publicKeyText: issuer.base64, revealKey: reveal)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let store = try SQLiteStore(writer: queue)
        let ring = try await store.keyRing()
        #expect(ring.issuers.map(\.rawBytes) == [raw])
        #expect(ring.issuers.map(\.id) == [issuer.id])
        #expect(ring.revealKeys.count == 1)
        #expect(ring.revealKeys.first?.rawBytes == reveal)
        #expect(try await store.merchant(id: "mch_1")?.publicKey == raw)
        #expect(try await store.principal(tokenHash: "h") == .merchant(id: "mch_1"))
        #expect(try await store.product(id: "prod_1")?.merchantId == "mch_1")

        let (type, violations) = try await queue.read { db in
            (
                try String.fetchOne(db, sql: "SELECT typeof(public_key) FROM merchants"),
                try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count
            )
        }
        #expect(type == "blob")
        #expect(violations == 0)
        #expect(try await queue.read { db in try SQLiteStore.migrator.appliedMigrations(db) } == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11"])
    }

    @Test func newMerchantsAreStoredAsBlobs() async throws {
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(dataDirectory: directory)
        let issuer = IssuerKey().publicKey
        _ = try await store.createMerchant(name: "Shop", issuer: issuer, tokenHash: "h", at: Date())
        let stored = try await store.writer.read { db in try Data.fetchOne(db, sql: "SELECT public_key FROM merchants") }
        #expect(stored.map(Array.init) == issuer.rawBytes)
        #expect(try await store.keyRing().issuers.map(\.id) == [issuer.id])
    }

    @Test func aKeyThatDoesNotDecodeStopsTheMigration() throws {
        let (queue, directory) = try makeV1Database(publicKeyText: "not base64!", revealKey: Array(repeating: 1, count: 32))
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: StoreError.corruptRow(table: "merchants", column: "public_key")) {
            _ = try SQLiteStore(writer: queue)
        }
        // Nothing was half-migrated: the text key is still there under "v1".
        let text = try queue.read { db in try String.fetchOne(db, sql: "SELECT public_key FROM merchants") }
        #expect(text == "not base64!")
        #expect(try queue.read { db in try SQLiteStore.migrator.appliedMigrations(db) } == ["v1"])
    }
}
