import CouponKit
import CouponSQLite
import Foundation
import StoreTestSupport
import Testing

/// The SQLite store's files on disk.
@Suite struct SQLiteFileTests {
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
}
