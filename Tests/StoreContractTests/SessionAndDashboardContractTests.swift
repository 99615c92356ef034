import CouponKit
@testable import CouponStore
import Foundation
import StoreTestSupport
import Testing

/// What the web pages need of every store: sessions kept under their key's hash with
/// their expiry honoured (``SessionRepository``), and the merchant dashboard's reads
/// (``MerchantDashboardRepository``), run on each store.
@Suite struct SessionAndDashboardContractTests {
    /// A fixed moment in whole seconds, so that expiries compare exactly.
    private static let now = Date(timeIntervalSince1970: 1_800_000_000)

    private static func hash(_ key: String) -> String { SHA256Hex.of(key.utf8) }

    private static func session(_ key: String, value: String = #"{"kind":"member"}"#, expiresIn seconds: Double?)
        -> StoredSession
    {
        StoredSession(keyHash: hash(key), value: value, expiresAt: seconds.map { now.addingTimeInterval($0) })
    }

    @Test(arguments: StoreKind.allCases) func aSessionIsCreatedReadSetAndRemoved(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let sessions = store.repository
        let created = Self.session("key-1", expiresIn: 3600)
        try await sessions.createSession(created, now: Self.now)
        #expect(try await sessions.session(keyHash: created.keyHash, now: Self.now) == created)

        // A new value without an expiry keeps the stored one; with one, it replaces it.
        try await sessions.setSession(keyHash: created.keyHash, value: #"{"kind":"merchant"}"#, expiresAt: nil)
        var changed = created
        changed.value = #"{"kind":"merchant"}"#
        #expect(try await sessions.session(keyHash: created.keyHash, now: Self.now) == changed)
        changed.expiresAt = Self.now.addingTimeInterval(7200)
        try await sessions.setSession(keyHash: created.keyHash, value: changed.value, expiresAt: changed.expiresAt)
        #expect(try await sessions.session(keyHash: created.keyHash, now: Self.now) == changed)

        // Setting an unknown hash inserts it, without an expiry when none is given.
        let unknown = Self.hash("key-2")
        try await sessions.setSession(keyHash: unknown, value: "{}", expiresAt: nil)
        #expect(
            try await sessions.session(keyHash: unknown, now: Self.now)
                == StoredSession(keyHash: unknown, value: "{}", expiresAt: nil))

        try await sessions.removeSession(keyHash: created.keyHash)
        #expect(try await sessions.session(keyHash: created.keyHash, now: Self.now) == nil)
        try await sessions.removeSession(keyHash: created.keyHash)
        #expect(try await sessions.session(keyHash: unknown, now: Self.now) != nil)
        await store.close()
    }

    /// A session is valid strictly before its expiry, kept to the whole second (rounded
    /// down: never later than asked).
    @Test(arguments: StoreKind.allCases) func expiryIsHonouredAtNow(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let sessions = store.repository
        let session = Self.session("key-1", expiresIn: 10.7)
        try await sessions.createSession(session, now: Self.now)
        let stored = try #require(try await sessions.session(keyHash: session.keyHash, now: Self.now))
        #expect(stored.expiresAt == Self.now.addingTimeInterval(10))
        #expect(try await sessions.session(keyHash: session.keyHash, now: Self.now.addingTimeInterval(9.5)) != nil)
        #expect(try await sessions.session(keyHash: session.keyHash, now: Self.now.addingTimeInterval(10)) == nil)
        #expect(try await sessions.session(keyHash: session.keyHash, now: Self.now.addingTimeInterval(11)) == nil)
        #expect(try await sessions.sessions(now: Self.now.addingTimeInterval(10)).isEmpty)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases) func aDuplicateIsRefusedAndAnExpiredOneReplaced(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let sessions = store.repository
        let first = Self.session("key-1", value: "first", expiresIn: 60)
        try await sessions.createSession(first, now: Self.now)
        await #expect(throws: StoreError.sessionExists) {
            try await sessions.createSession(Self.session("key-1", value: "second", expiresIn: 600), now: Self.now)
        }
        #expect(try await sessions.session(keyHash: first.keyHash, now: Self.now)?.value == "first")

        // At its expiry the record no longer counts: a new one takes its place.
        let later = Self.now.addingTimeInterval(60)
        let replacement = StoredSession(keyHash: first.keyHash, value: "second", expiresAt: later.addingTimeInterval(60))
        try await sessions.createSession(replacement, now: later)
        #expect(try await sessions.session(keyHash: first.keyHash, now: later) == replacement)

        // A record without an expiry never expires.
        let forever = Self.hash("key-2")
        try await sessions.setSession(keyHash: forever, value: "{}", expiresAt: nil)
        await #expect(throws: StoreError.sessionExists) {
            try await sessions.createSession(
                StoredSession(keyHash: forever, value: "x", expiresAt: nil), now: Self.now.addingTimeInterval(1e9))
        }
        await store.close()
    }

    @Test(arguments: StoreKind.allCases) func listsSoonestFirstAndRemovesTheExpired(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let sessions = store.repository
        let late = Self.session("late", expiresIn: 300)
        let soon = Self.session("soon", expiresIn: 100)
        let gone = Self.session("gone", expiresIn: -5)
        for session in [late, soon, gone] { try await sessions.createSession(session, now: Self.now.addingTimeInterval(-60)) }
        let forever = Self.hash("forever")
        try await sessions.setSession(keyHash: forever, value: "{}", expiresAt: nil)

        #expect(try await sessions.sessions(now: Self.now).map(\.keyHash) == [soon.keyHash, late.keyHash, forever])
        #expect(try await sessions.removeExpiredSessions(now: Self.now) == 1)
        #expect(try await sessions.removeExpiredSessions(now: Self.now) == 0)
        #expect(try await sessions.removeExpiredSessions(now: Self.now.addingTimeInterval(200)) == 1)
        #expect(try await sessions.sessions(now: Self.now.addingTimeInterval(200)).map(\.keyHash) == [late.keyHash, forever])
        #expect(try await sessions.removeExpiredSessions(now: Self.now.addingTimeInterval(1e9)) == 1)
        #expect(try await store.strings("SELECT key_hash FROM web_sessions") == [forever])
        await store.close()
    }

    /// The table holds the hash it was given and nothing else as a key: anything but 64
    /// lowercase hex digits is refused by the database itself.
    @Test(arguments: StoreKind.allCases) func onlyHashesAreStored(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let cookie = "the-cookie-value"
        let session = Self.session(cookie, expiresIn: 60)
        try await store.repository.createSession(session, now: Self.now)
        let stored = try await store.strings("SELECT key_hash FROM web_sessions")
        #expect(stored == [Self.hash(cookie)])
        #expect(!stored.contains(cookie))
        #expect(try await store.strings("SELECT value FROM web_sessions") == [session.value])
        await #expect(throws: (any Error).self) {
            try await store.repository.setSession(keyHash: cookie, value: "{}", expiresAt: nil)
        }
        await #expect(throws: (any Error).self) {
            try await store.repository.setSession(keyHash: Self.hash(cookie).uppercased(), value: "{}", expiresAt: nil)
        }
        #expect(try await store.strings("SELECT key_hash FROM web_sessions") == [Self.hash(cookie)])
        await store.close()
    }
}

extension SessionAndDashboardContractTests {
    /// A merchant with two products, a member buying, and the merchant's issuer id.
    private struct Shop {
        let fixture: AuditFixture
        let issuerId: String
        let otherProductId: String

        static func make(_ store: any CouponRepository) async throws -> Shop {
            let fixture = try await AuditFixture.make(store)
            let merchant = try #require(try await store.merchant(id: fixture.merchantId))
            let other = try await store.createProduct(
                NewProduct(
                    merchantId: merchant.id, sku: "SKU-2", name: "Chair", description: "",
                    price: Money(amount: 1000, currency: AuditFixture.eur)),
                at: Date())
            return Shop(fixture: fixture, issuerId: merchant.issuerId, otherProductId: other.id)
        }

        /// Uploads a coupon with `serial` for the fixture's product (or `productId`).
        @discardableResult
        func upload(_ serial: String, productId: String? = nil) async throws -> StoredCoupon {
            let coupon = StoredCoupon(
                id: Identifier.make("cpn"), productId: productId ?? fixture.productId, issuerId: issuerId, serial: serial,
                title: "Coupon \(serial)", discount: .rate(basisPoints: 1000), png: [0x89, 0x50, 0x4E, 0x47])
            try await fixture.store.addCoupon(coupon, at: Date())
            return coupon
        }

        /// Settles an order of the fixture's product at `createdAt`, redeeming `serial`
        /// (10 % off) when one is given.
        @discardableResult
        func settle(serial: String?, at createdAt: String = "2026-12-01T10:00:00Z") async throws -> Order {
            let suffix = UUID().uuidString.prefix(12).lowercased()
            let eur = AuditFixture.eur
            let discount: Int64 = serial == nil ? 0 : 100
            let order = Order(
                id: "ord_\(suffix)", memberId: fixture.memberId, productId: fixture.productId,
                merchantId: fixture.merchantId, quantity: 1, listTotal: Money(amount: 1000, currency: eur),
                discount: Money(amount: discount, currency: eur), total: Money(amount: 1000 - discount, currency: eur),
                couponSerial: serial, paymentId: "pay_\(suffix)", transactionId: "txn_\(suffix)", createdAt: createdAt,
                couponLayer: serial == nil ? nil : .fragile)
            let redemption = serial.map {
                Settlement.Redemption(
                    issuerId: issuerId, serial: $0, maxUsesTotal: nil, maxUsesPerMember: nil,
                    discount: .rate(basisPoints: 1000))
            }
            let outcome = try await fixture.store.settle(
                Settlement(
                    order: order, redemption: redemption, idempotencyKey: "key-\(suffix)",
                    response: IdempotencyRecord(fingerprint: "f", status: 201, body: Array("{}".utf8))))
            guard case .settled(let settled) = outcome else { throw FixtureFailure.notSettled(order.id) }
            return settled
        }
    }

    @Test(arguments: StoreKind.allCases) func merchantCouponsCountUsesAndShowRevocations(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let shop = try await Shop.make(store.repository)
        let first = try await shop.upload("A-1")
        let second = try await shop.upload("B-1", productId: shop.otherProductId)
        let third = try await shop.upload("C-1")
        let stranger = try await Shop.make(store.repository)
        try await stranger.upload("A-1")
        try await stranger.settle(serial: "A-1")

        try await shop.settle(serial: "A-1")
        try await shop.settle(serial: "A-1")
        try await shop.settle(serial: "B-1")
        try await shop.settle(serial: nil)
        let revokedAt = try #require(
            try await store.repository.revokeCoupon(serial: "B-1", merchantId: shop.fixture.merchantId, at: Date()))

        let coupons = try await store.repository.merchantCoupons(merchantId: shop.fixture.merchantId, limit: 10)
        #expect(coupons.map(\.id) == [third.id, second.id, first.id])
        #expect(coupons.map(\.uses) == [0, 1, 2])
        #expect(coupons.map(\.revokedAt) == [nil, revokedAt, nil])
        #expect(coupons.map(\.productName) == ["Lamp", "Chair", "Lamp"])
        #expect(coupons.map(\.productId) == [shop.fixture.productId, shop.otherProductId, shop.fixture.productId])
        #expect(coupons[2].serial == "A-1")
        #expect(coupons[2].title == "Coupon A-1")
        #expect(!coupons[2].createdAt.isEmpty)
        #expect(try await store.repository.merchantCoupons(merchantId: shop.fixture.merchantId, limit: 2).map(\.id)
            == [third.id, second.id])

        // The other merchant's coupon with the same serial counts only its own order.
        let theirs = try await store.repository.merchantCoupons(merchantId: stranger.fixture.merchantId, limit: 10)
        #expect(theirs.map(\.serial) == ["A-1"])
        #expect(theirs.map(\.uses) == [1])
        #expect(try await store.repository.merchantCoupons(merchantId: "mch_nobody", limit: 10).isEmpty)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases) func merchantOrdersComeNewestFirstAPageAtATime(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let shop = try await Shop.make(store.repository)
        var orders: [Order] = []
        for day in 1...5 { orders.append(try await shop.settle(serial: nil, at: "2026-12-0\(day)T10:00:00Z")) }
        let stranger = try await Shop.make(store.repository)
        try await stranger.settle(serial: nil)
        let newest = Array(orders.reversed())

        let merchantId = shop.fixture.merchantId
        #expect(try await store.repository.merchantOrders(merchantId: merchantId, offset: 0, limit: 2) == Array(newest[0..<2]))
        #expect(try await store.repository.merchantOrders(merchantId: merchantId, offset: 2, limit: 2) == Array(newest[2..<4]))
        #expect(try await store.repository.merchantOrders(merchantId: merchantId, offset: 4, limit: 2) == [newest[4]])
        #expect(try await store.repository.merchantOrders(merchantId: merchantId, offset: 5, limit: 2).isEmpty)
        #expect(try await store.repository.merchantOrders(merchantId: merchantId, offset: 0, limit: 10) == newest)
        #expect(
            try await store.repository.merchantOrders(merchantId: stranger.fixture.merchantId, offset: 0, limit: 10)
                .map(\.merchantId) == [stranger.fixture.merchantId])
        await store.close()
    }

    @Test(arguments: StoreKind.allCases) func couponOrdersPerDayCountOnlyOrdersWithACoupon(_ kind: StoreKind) async throws {
        let store = try await RawStore.open(kind)
        let shop = try await Shop.make(store.repository)
        try await shop.settle(serial: "A-1", at: "2026-11-30T23:59:59Z")
        try await shop.settle(serial: "A-1", at: "2026-12-01T00:00:00Z")
        try await shop.settle(serial: "B-1", at: "2026-12-01T23:59:59Z")
        try await shop.settle(serial: nil, at: "2026-12-01T12:00:00Z")
        try await shop.settle(serial: nil, at: "2026-12-02T12:00:00Z")
        try await shop.settle(serial: "A-1", at: "2026-12-03T08:00:00Z")
        let stranger = try await Shop.make(store.repository)
        try await stranger.settle(serial: "A-1", at: "2026-12-01T10:00:00Z")

        #expect(
            try await store.repository.couponOrdersPerDay(merchantId: shop.fixture.merchantId, since: "2026-12-01")
                == [DailyCount(day: "2026-12-01", count: 2), DailyCount(day: "2026-12-03", count: 1)])
        #expect(
            try await store.repository.couponOrdersPerDay(merchantId: shop.fixture.merchantId, since: "2026-11-01").first
                == DailyCount(day: "2026-11-30", count: 1))
        #expect(try await store.repository.couponOrdersPerDay(merchantId: shop.fixture.merchantId, since: "2027-01-01").isEmpty)
        await store.close()
    }
}
