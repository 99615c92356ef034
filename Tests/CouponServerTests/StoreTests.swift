import CouponKit
@testable import CouponStore
import Foundation
import GRDB
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

    @Test func ledgerIsAppendOnly() async throws {
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(dataDirectory: directory)
        // Since "v3" a lone entry cannot even be written (its transaction is never closed,
        // LedgerConstraintTests); the entries of a settled order stand for the ledger here.
        let fixture = try await AuditFixture.make(store)
        try await fixture.settle(list: 1, discount: 0)
        await #expect(throws: DatabaseError.self) {
            try await store.writer.write { db in try db.execute(sql: "UPDATE ledger_entries SET amount = 2") }
        }
        await #expect(throws: DatabaseError.self) {
            try await store.writer.write { db in try db.execute(sql: "DELETE FROM ledger_entries") }
        }
        #expect(try await store.ledgerEntries().map(\.amount) == [-1, 1])
    }

    @Test func tokensAreStoredOnlyAsHashes() async throws {
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(dataDirectory: directory)
        let token = AccessToken.generate(.member)
        #expect(token.value.hasPrefix("cm_member_"))
        #expect(token.hash.count == 64)
        let member = try await store.createMember(
            NewMember(kind: .individual, name: "A", email: "a@b.co", company: nil), tokenHash: token.hash, at: Date())
        #expect(try await store.principal(tokenHash: token.hash) == .member(id: member.id))
        let stored = try await store.writer.read { db in try String.fetchAll(db, sql: "SELECT hash FROM tokens") }
        #expect(stored == [token.hash])
        #expect(!stored.contains(token.value))
        try await store.revokeToken(hash: token.hash)
        #expect(try await store.principal(tokenHash: token.hash) == nil)
    }
}
