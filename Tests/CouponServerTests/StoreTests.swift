import CouponKit
@testable import CouponPostgres
@testable import CouponSQLite
@testable import CouponStore
import Foundation
import GRDB
import PostgresNIO
import Testing

@Suite struct StoreTests {
    @Test func filesArePrivateAndReopeningKeepsData() async throws {
        let directory = makeTemporaryDirectory() + "/nested/data"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(dataDirectory: directory)
        let first = try await store.ensureRevealKey()
        #expect(first.epoch == 1)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        let file = try FileManager.default.attributesOfItem(atPath: directory + "/couponmark.sqlite")
        #expect((file[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let reopened = try SQLiteStore(dataDirectory: directory)
        #expect(try await reopened.ensureRevealKey() == first)
        #expect(try await reopened.rotateRevealKey().epoch == 2)
        #expect(try await store.keyRing().revealKeys.map(\.epoch) == [1, 2])
    }

    /// Since "v3" a lone entry cannot even be written (its transaction is never closed,
    /// LedgerConstraintTests); the entries of a settled order stand for the ledger here.
    @Test(arguments: StoreKind.allCases) func ledgerIsAppendOnly(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let fixture = try await AuditFixture.make(store.repository)
        try await fixture.settle(list: 1, discount: 0)
        await #expect(throws: (any Error).self) { try await store.execute("UPDATE ledger_entries SET amount = 2") }
        await #expect(throws: (any Error).self) { try await store.execute("DELETE FROM ledger_entries") }
        #expect(try await store.repository.ledgerEntries().map(\.amount) == [-1, 1])
        await store.close()
    }

    @Test(arguments: StoreKind.allCases) func tokensAreStoredOnlyAsHashes(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let token = AccessToken.generate(.member)
        #expect(token.value.hasPrefix("cm_member_"))
        #expect(token.hash.count == 64)
        let member = try await store.repository.createMember(
            NewMember(kind: .individual, name: "A", email: "a@b.co", company: nil), tokenHash: token.hash, at: Date())
        #expect(try await store.repository.principal(tokenHash: token.hash) == .member(id: member.id))
        let stored = try await store.strings("SELECT hash FROM tokens")
        #expect(stored == [token.hash])
        #expect(!stored.contains(token.value))
        try await store.repository.revokeToken(hash: token.hash)
        #expect(try await store.repository.principal(tokenHash: token.hash) == nil)
        await store.close()
    }
}

/// A store of either kind with raw SQL access, as a tamperer (or a test) would have.
struct RawStore {
    let repository: any CouponRepository

    static func open(_ kind: StoreKind) async throws -> RawStore {
        switch kind {
        case .sqlite: RawStore(repository: try SQLiteStore(dataDirectory: makeTemporaryDirectory()))
        case .postgres: RawStore(repository: try await makePostgresStore())
        }
    }

    func execute(_ sql: String) async throws {
        if let sqlite = repository as? SQLiteStore {
            try await sqlite.writer.write { db in try db.execute(sql: sql) }
        } else if let postgres = repository as? PostgresStore {
            _ = try await postgres.rows(PostgresQuery(unsafeSQL: sql))
        }
    }

    /// The first column of every row, as text.
    func strings(_ sql: String) async throws -> [String] {
        if let sqlite = repository as? SQLiteStore {
            return try await sqlite.writer.read { db in try String.fetchAll(db, sql: sql) }
        } else if let postgres = repository as? PostgresStore {
            return try await postgres.rows(PostgresQuery(unsafeSQL: sql)).map { try $0.decode(String.self) }
        }
        return []
    }

    func close() async {
        if let postgres = repository as? PostgresStore { await postgres.shutdown() }
    }
}
