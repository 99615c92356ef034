import CouponKit
@testable import CouponPostgres
@testable import CouponSQLite
@testable import CouponStore
import Foundation
import GRDB
import PostgresNIO
import StoreTestSupport
import Testing

/// The store contract: what every store (``SQLiteStore``, ``PostgresStore``) must do,
/// run on each.
@Suite struct StoreContractTests {
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
