import CouponKit
@testable import CouponPostgres
@testable import CouponSQLite
@testable import CouponStore
import Foundation
import GRDB
import StoreTestSupport
import Testing

/// What personal coupons need of every store (``PersonalCopyRepository``): the server's
/// signing keys, made once and rotated with one current key at every moment, and the
/// copies handed to members, one per coupon and member, looked up by their robust
/// identifier under one merchant's key and counted. Run on each store; the races run
/// on two instances of the store over one database (two processes on one SQLite file, two
/// servers on one PostgreSQL database).
@Suite(.timeLimit(.minutes(3))) struct PersonalCopyContractTests {
    /// How many callers race in the concurrency tests.
    private static let racers = 8

    /// Fixed moments a second apart, so that creation and retirement times compare exactly.
    private static func moment(_ second: Int) -> Date { Date(timeIntervalSince1970: 1_800_000_000 + Double(second)) }

    // MARK: Server keys

    @Test(arguments: StoreKind.allCases) func theFirstEnsureMakesOneKeyAndLaterOnesReturnIt(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let keys = try await store.repository.ensureServerKeys(at: Self.moment(0))
        #expect(keys.count == 1)
        let key = try #require(keys.first)
        #expect(key.retiredAt == nil)
        #expect(key.createdAt == Timestamp.string(Self.moment(0)))
        #expect(key.keyId.hasPrefix("srv_") && key.keyId.count == 20)
        #expect(key.publicKey.retired == false)

        let again = try await store.repository.ensureServerKeys(at: Self.moment(60))
        #expect(again.map(\.keyId) == [key.keyId])
        #expect(again.first?.key.rawBytes == key.key.rawBytes)
        #expect(again.first?.createdAt == key.createdAt)
        #expect(try await store.strings("SELECT key_id FROM server_keys") == [key.keyId])
        await store.close()
    }

    /// What the store holds is the 32 raw bytes of the private key, and what it reads
    /// back signs as the key it made (current and retired alike).
    @Test(arguments: StoreKind.allCases) func privateKeyBytesRoundTripExactly(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let made = try #require(try await store.repository.ensureServerKeys(at: Self.moment(0)).first)
        let rotated = try await store.repository.rotateServerKey(at: Self.moment(1))
        let hex =
            kind == .sqlite
            ? "SELECT lower(hex(private_key)) FROM server_keys ORDER BY key_id"
            : "SELECT encode(private_key, 'hex') FROM server_keys ORDER BY key_id"
        let stored = try await store.strings(hex)
        #expect(stored == [made, rotated].sorted { $0.keyId < $1.keyId }.map { $0.key.rawBytes.hexString })
        #expect(stored.allSatisfy { $0.count == 64 })

        let read = try await store.repository.ensureServerKeys(at: Self.moment(2))
        #expect(read.map(\.keyId) == [rotated.keyId, made.keyId])
        #expect(read.map(\.key.rawBytes) == [rotated.key.rawBytes, made.key.rawBytes])
        // What a key read back signs verifies under the public key of the key that was made.
        for (original, back) in zip([rotated, made], read) {
            let binding = try CopyBinding(
                signing: back.key, issuerId: "iss_1", serial: "S-1", memberId: "mem_1", copyId: 7, issuedAt: 0,
                issuerDigest: Array(repeating: 1, count: 32), copyDigest: Array(repeating: 2, count: 32))
            #expect(binding.verify(with: [original.key.publicKey]) == .valid)
        }
        await store.close()
    }

    @Test(arguments: StoreKind.allCases) func concurrentEnsuresMakeOneKey(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let instances = try await Instances.open(store)
        let firsts = try await withThrowingTaskGroup(of: [String].self) { group in
            for index in 0..<Self.racers {
                let instance = instances.repositories[index % instances.repositories.count]
                group.addTask { try await instance.ensureServerKeys(at: Self.moment(index)).map(\.keyId) }
            }
            return try await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        #expect(firsts.count == Self.racers)
        let stored = try await store.strings("SELECT key_id FROM server_keys")
        #expect(stored.count == 1)
        #expect(firsts.allSatisfy { $0 == stored })
        await instances.close()
        await store.close()
    }

    @Test(arguments: StoreKind.allCases) func rotationRetiresTheCurrentKeyAndKeepsItListed(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let first = try #require(try await store.repository.ensureServerKeys(at: Self.moment(0)).first)
        let second = try await store.repository.rotateServerKey(at: Self.moment(10))
        #expect(second.keyId != first.keyId)
        #expect(second.retiredAt == nil)
        #expect(second.createdAt == Timestamp.string(Self.moment(10)))

        let afterOne = try await store.repository.ensureServerKeys(at: Self.moment(20))
        #expect(afterOne.map(\.keyId) == [second.keyId, first.keyId])
        #expect(afterOne.map(\.retiredAt) == [nil, Timestamp.string(Self.moment(10))])
        #expect(afterOne.map(\.publicKey.retired) == [false, true])

        let third = try await store.repository.rotateServerKey(at: Self.moment(30))
        let afterTwo = try await store.repository.ensureServerKeys(at: Self.moment(40))
        #expect(afterTwo.map(\.keyId) == [third.keyId, second.keyId, first.keyId])
        #expect(afterTwo.map(\.retiredAt) == [nil, Timestamp.string(Self.moment(30)), Timestamp.string(Self.moment(10))])
        #expect(afterTwo.map(\.createdAt) == [0, 10, 30].reversed().map { Timestamp.string(Self.moment($0)) })
        await store.close()
    }

    /// Rotating an empty store makes its first key.
    @Test(arguments: StoreKind.allCases) func rotatingWithoutAKeyMakesTheFirst(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let made = try await store.repository.rotateServerKey(at: Self.moment(0))
        #expect(try await store.repository.ensureServerKeys(at: Self.moment(1)).map(\.keyId) == [made.keyId])
        await store.close()
    }

    @Test(arguments: StoreKind.allCases) func concurrentRotationsLeaveOneCurrentKey(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let instances = try await Instances.open(store)
        let first = try #require(try await store.repository.ensureServerKeys(at: Self.moment(0)).first)
        let rotated = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<Self.racers {
                let instance = instances.repositories[index % instances.repositories.count]
                group.addTask { try await instance.rotateServerKey(at: Self.moment(1)).keyId }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(rotated).count == Self.racers)

        let keys = try await store.repository.ensureServerKeys(at: Self.moment(2))
        #expect(keys.count == Self.racers + 1)
        #expect(Set(keys.map(\.keyId)) == Set(rotated + [first.keyId]))
        #expect(keys.filter { $0.retiredAt == nil }.count == 1)
        #expect(keys.first?.retiredAt == nil)
        #expect(keys.dropFirst().allSatisfy { $0.retiredAt != nil })
        #expect(try await store.strings("SELECT key_id FROM server_keys WHERE retired_at IS NULL") == [keys[0].keyId])
        await instances.close()
        await store.close()
    }

    /// The partial unique index itself refuses a second current key, whoever writes it.
    @Test(arguments: StoreKind.allCases) func theDatabaseRefusesASecondCurrentKey(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        _ = try await store.repository.ensureServerKeys(at: Self.moment(0))
        let other = ServerKey()
        let bytes = kind == .sqlite ? "X'\(other.rawBytes.hexString)'" : "'\\x\(other.rawBytes.hexString)'::bytea"
        await #expect(throws: (any Error).self) {
            try await store.execute(
                "INSERT INTO server_keys (key_id, private_key, created_at) VALUES ('\(other.id)', \(bytes), 'now')")
        }
        #expect(try await store.strings("SELECT key_id FROM server_keys").count == 1)
        await store.close()
    }

    /// A row whose id is not its private key's is refused when read, never used.
    @Test(arguments: StoreKind.allCases) func aKeyStoredUnderAnotherIdIsACorruptRow(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        _ = try await store.repository.ensureServerKeys(at: Self.moment(0))
        let (named, stored) = (ServerKey(), ServerKey())
        let bytes = kind == .sqlite ? "X'\(stored.rawBytes.hexString)'" : "'\\x\(stored.rawBytes.hexString)'::bytea"
        try await store.execute(
            """
            INSERT INTO server_keys (key_id, private_key, created_at, retired_at)
            VALUES ('\(named.id)', \(bytes), 'then', 'then')
            """)
        await #expect(throws: StoreError.corruptRow(table: "server_keys", column: "key_id")) {
            _ = try await store.repository.ensureServerKeys(at: Self.moment(1))
        }
        await store.close()
    }

    // MARK: Copies

    @Test(arguments: StoreKind.allCases) func recordingIsIdempotentPerCouponAndMember(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let shop = try await Shop.make(store.repository)
        let coupon = try await shop.upload("P-1")
        let member = shop.fixture.memberId
        let first = try shop.copy(of: coupon, memberId: member, issuedAt: Self.moment(0))
        #expect(try await store.repository.issuedCopy(couponId: coupon.id, memberId: member) == nil)
        #expect(try await store.repository.recordCopy(first) == first)
        #expect(try await store.repository.recordCopy(first) == first)

        // A second, different copy for the same coupon and member: the first one stands.
        var second = try shop.copy(of: coupon, memberId: member, issuedAt: Self.moment(60))
        second.copyId = "00000000000000ff"
        second.robustKeyGeneration = 2
        #expect(second != first)
        #expect(try await store.repository.recordCopy(second) == first)
        #expect(try await store.repository.issuedCopy(couponId: coupon.id, memberId: member) == first)
        #expect(
            try await store.repository.issuedCopy(copyId: second.copyId, merchantId: shop.fixture.merchantId, generation: 2)
                == nil)
        let binding = try await store.repository.issuedCopy(couponId: coupon.id, memberId: member)?.decodedBinding
        #expect(binding?.memberId == member)

        // Another member's copy of the same coupon is a copy of its own.
        let other = try #require(try await shop.moreMembers(1).first)
        let theirs = try shop.copy(of: coupon, memberId: other.memberId, issuedAt: Self.moment(120))
        #expect(try await store.repository.recordCopy(theirs) == theirs)
        #expect(try await store.repository.issuedCopy(couponId: coupon.id, memberId: other.memberId) == theirs)
        #expect(
            try await store.strings("SELECT member_id FROM coupon_copies ORDER BY member_id")
                == [member, other.memberId].sorted())
        await store.close()
    }

    @Test(arguments: StoreKind.allCases) func concurrentRecordsOfOneCopyStoreOne(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let instances = try await Instances.open(store)
        let shop = try await Shop.make(store.repository)
        let coupon = try await shop.upload("P-1")
        let candidates = try (0..<Self.racers).map { index in
            var copy = try shop.copy(of: coupon, memberId: shop.fixture.memberId, issuedAt: Self.moment(index))
            copy.copyId = CouponRobustIdentity.hex(UInt64(index + 1))
            return copy
        }
        let recorded = try await withThrowingTaskGroup(of: IssuedCopy.self) { group in
            for (index, candidate) in candidates.enumerated() {
                let instance = instances.repositories[index % instances.repositories.count]
                group.addTask { try await instance.recordCopy(candidate) }
            }
            return try await group.reduce(into: [IssuedCopy]()) { $0.append($1) }
        }
        #expect(recorded.count == Self.racers)
        let stored = try #require(recorded.first)
        #expect(recorded.allSatisfy { $0 == stored })
        #expect(candidates.contains(stored))
        #expect(try await store.repository.issuedCopy(couponId: coupon.id, memberId: shop.fixture.memberId) == stored)
        #expect(try await store.strings("SELECT copy_id FROM coupon_copies") == [stored.copyId])
        await instances.close()
        await store.close()
    }

    @Test(arguments: StoreKind.allCases) func aCopyIsFoundOnlyUnderItsMerchantAndGeneration(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let shop = try await Shop.make(store.repository)
        let stranger = try await Shop.make(store.repository)
        let coupon = try await shop.upload("P-1")
        let theirCoupon = try await stranger.upload("P-1")
        let copy = try shop.copy(of: coupon, memberId: shop.fixture.memberId, issuedAt: Self.moment(0))
        _ = try await store.repository.recordCopy(copy)
        let merchant = shop.fixture.merchantId

        #expect(try await store.repository.issuedCopy(copyId: copy.copyId, merchantId: merchant, generation: 1) == copy)
        #expect(
            try await store.repository.issuedCopy(copyId: copy.copyId, merchantId: stranger.fixture.merchantId, generation: 1)
                == nil)
        #expect(try await store.repository.issuedCopy(copyId: copy.copyId, merchantId: merchant, generation: 2) == nil)
        #expect(try await store.repository.issuedCopy(copyId: "0123456789abcdef", merchantId: merchant, generation: 1) == nil)
        #expect(try await store.repository.issuedCopy(copyId: copy.copyId, merchantId: "mch_nobody", generation: 1) == nil)

        // The same identifier under another merchant is that merchant's copy.
        var theirs = try stranger.copy(of: theirCoupon, memberId: stranger.fixture.memberId, issuedAt: Self.moment(1))
        theirs.copyId = copy.copyId
        #expect(try await store.repository.recordCopy(theirs) == theirs)
        #expect(try await store.repository.issuedCopy(copyId: copy.copyId, merchantId: merchant, generation: 1) == copy)
        #expect(
            try await store.repository.issuedCopy(copyId: copy.copyId, merchantId: stranger.fixture.merchantId, generation: 1)
                == theirs)

        // Within one merchant and generation an identifier names one copy.
        let other = try await AuditFixture.make(store.repository, merchantId: merchant, productId: shop.fixture.productId)
        var clash = try shop.copy(of: coupon, memberId: other.memberId, issuedAt: Self.moment(2))
        clash.copyId = copy.copyId
        await #expect(throws: (any Error).self) { _ = try await store.repository.recordCopy(clash) }
        #expect(try await store.repository.issuedCopy(couponId: coupon.id, memberId: other.memberId) == nil)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases) func copyCountsCountIssuedAndRedeemedCopies(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let shop = try await Shop.make(store.repository)
        let personal = try await shop.upload("P-1")
        let second = try await shop.upload("Q-1")
        try await shop.upload("R-1")
        let members = [shop.fixture] + (try await shop.moreMembers(3))
        for member in members.prefix(3) {
            _ = try await store.repository.recordCopy(
                try shop.copy(of: personal, memberId: member.memberId, issuedAt: Self.moment(0)))
        }
        _ = try await store.repository.recordCopy(
            try shop.copy(of: second, memberId: members[0].memberId, issuedAt: Self.moment(0)))

        // P-1: two of its three holders redeem it (one of them twice).
        try await shop.settle(members[0], serial: "P-1")
        try await shop.settle(members[0], serial: "P-1")
        try await shop.settle(members[1], serial: "P-1")
        // Orders that name no copy: without a coupon, Q-1 by a member holding none of it,
        // R-1 (no copies at all), and the same serial of another merchant by a holder.
        try await shop.settle(members[2], serial: nil)
        try await shop.settle(members[3], serial: "Q-1")
        try await shop.settle(members[1], serial: "R-1")
        let stranger = try await Shop.make(store.repository)
        try await stranger.upload("P-1")
        try await stranger.settle(members[2], serial: "P-1")

        let counts = try await store.repository.copyCounts(merchantId: shop.fixture.merchantId)
        #expect(counts == [personal.id: CopyCounts(issued: 3, redeemed: 2), second.id: CopyCounts(issued: 1, redeemed: 0)])
        #expect(try await store.repository.copyCounts(merchantId: stranger.fixture.merchantId).isEmpty)
        #expect(try await store.repository.copyCounts(merchantId: "mch_nobody").isEmpty)
        await store.close()
    }
}

extension PersonalCopyContractTests {
    /// The store and a second instance of it on the same database: another `SQLiteStore`
    /// on the same file, another `PostgresStore` (with its own pool) on the same database.
    private struct Instances {
        let repositories: [any CouponRepository]
        private let second: any CouponRepository

        static func open(_ store: RawStore) async throws -> Instances {
            let second: any CouponRepository
            if let sqlite = store.repository as? SQLiteStore {
                let directory = URL(fileURLWithPath: sqlite.writer.path).deletingLastPathComponent().path
                second = try SQLiteStore(dataDirectory: directory)
            } else {
                let postgres = try #require(store.repository as? PostgresStore)
                second = try await PostgresStore.connect(url: postgres.url, poolSize: 4, logger: postgres.logger)
            }
            return Instances(repositories: [store.repository, second], second: second)
        }

        func close() async {
            if let postgres = second as? PostgresStore { await postgres.shutdown() }
        }
    }

    /// A merchant with a product and a member (``AuditFixture``), the merchant's issuer id
    /// and current robust key.
    private struct Shop {
        let fixture: AuditFixture
        let issuerId: String
        let robustKey: MerchantRobustKey

        static func make(_ store: any CouponRepository) async throws -> Shop {
            let fixture = try await AuditFixture.make(store)
            let merchant = try #require(try await store.merchant(id: fixture.merchantId))
            let key = try #require(try await store.robustKeys(merchantId: merchant.id).first)
            return Shop(fixture: fixture, issuerId: merchant.issuerId, robustKey: key)
        }

        /// `count` more members buying the fixture's product.
        func moreMembers(_ count: Int) async throws -> [AuditFixture] {
            var members: [AuditFixture] = []
            for _ in 0..<count {
                members.append(
                    try await AuditFixture.make(fixture.store, merchantId: fixture.merchantId, productId: fixture.productId))
            }
            return members
        }

        /// Uploads a coupon with `serial` for the fixture's product.
        @discardableResult
        func upload(_ serial: String) async throws -> StoredCoupon {
            let coupon = StoredCoupon(
                id: Identifier.make("cpn"), productId: fixture.productId, issuerId: issuerId, serial: serial,
                title: "Coupon \(serial)", discount: .rate(basisPoints: 1000), png: [0x89, 0x50, 0x4E, 0x47])
            try await fixture.store.addCoupon(coupon, at: Date())
            return coupon
        }

        /// A copy of `coupon` for `memberId` under the merchant's current robust key, with its
        /// identifier derived as the server derives it and a binding signed by a new key.
        func copy(of coupon: StoredCoupon, memberId: String, issuedAt: Date) throws -> IssuedCopy {
            let copyId = CouponRobustIdentity.copyIdentifier(
                issuerId: coupon.issuerId, serial: coupon.serial, memberId: memberId, key: robustKey.key)
            let binding = try CopyBinding(
                signing: ServerKey(), issuerId: coupon.issuerId, serial: coupon.serial, memberId: memberId, copyId: copyId,
                issuedAt: Int64(issuedAt.timeIntervalSince1970), issuerDigest: Array(repeating: 1, count: 32),
                copyDigest: Array(repeating: 2, count: 32))
            return IssuedCopy(
                couponId: coupon.id, merchantId: fixture.merchantId, memberId: memberId,
                copyId: CouponRobustIdentity.hex(copyId), robustKeyGeneration: robustKey.generation,
                issuedAt: Timestamp.string(issuedAt), binding: binding.encoded)
        }

        /// Settles an order of the fixture's product by `buyer`'s member, redeeming this
        /// merchant's `serial` (10 % off) when one is given.
        func settle(_ buyer: AuditFixture, serial: String?) async throws {
            let suffix = UUID().uuidString.prefix(12).lowercased()
            let eur = AuditFixture.eur
            let discount: Int64 = serial == nil ? 0 : 100
            let order = Order(
                id: "ord_\(suffix)", memberId: buyer.memberId, productId: fixture.productId, merchantId: fixture.merchantId,
                quantity: 1, listTotal: Money(amount: 1000, currency: eur), discount: Money(amount: discount, currency: eur),
                total: Money(amount: 1000 - discount, currency: eur), couponSerial: serial, paymentId: "pay_\(suffix)",
                transactionId: "txn_\(suffix)", createdAt: Timestamp.string(Date()), couponLayer: serial == nil ? nil : .robust)
            let redemption = serial.map {
                Settlement.Redemption(
                    issuerId: issuerId, serial: $0, maxUsesTotal: nil, maxUsesPerMember: nil,
                    discount: .rate(basisPoints: 1000))
            }
            let outcome = try await fixture.store.settle(
                Settlement(
                    order: order, redemption: redemption, idempotencyKey: "key-\(suffix)",
                    response: IdempotencyRecord(fingerprint: "f", status: 201, body: Array("{}".utf8))))
            guard case .settled = outcome else { throw FixtureFailure.notSettled(order.id) }
        }
    }
}
