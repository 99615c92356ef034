import CouponKit
import CouponServer
import CouponSQLite
import CouponStore
import Foundation
import StoreTestSupport
import Testing

/// The demo catalogue keeps its discounts sealed: what everyone sees (product names,
/// descriptions, coupon titles, and so the artwork) never tells the discount.
@Suite struct DemoSeedTests {
    /// A fresh demo on a new SQLite store, handed to `body`; the directory is removed after.
    static func withFreshDemo(_ body: (SQLiteStore, [Product]) async throws -> Void) async throws {
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(dataDirectory: directory)
        guard case .created(_, _, let products) = try await DemoSeed.run(dataDirectory: directory, store: store) else {
            Issue.record("expected a fresh demo")
            return
        }
        try await body(store, products)
    }

    @Test func demoTextsDoNotTellTheDiscount() async throws {
        try await Self.withFreshDemo { _, products in
            let texts = products.flatMap { [$0.name, $0.description] + $0.coupons.map(\.title) }
            #expect(texts.count == 12)
            for text in texts {
                let lowered = text.lowercased()
                let words = lowered.split { !$0.isLetter }
                #expect(!lowered.contains("%") && !lowered.contains("€"), "\(text)")
                #expect(!words.contains("off") && !words.contains("eur"), "\(text)")
            }
        }
    }

    /// The demo's coupons carry what an upload would have verified, so their copies order
    /// without their picture being opened again: the same terms and epoch the reader opens.
    @Test func demoCouponsKeepTheirVerifiedTerms() async throws {
        try await Self.withFreshDemo { store, products in
            let ring = try await store.keyRing()
            for product in products {
                for coupon in try await store.listedCoupons(productId: product.id, limit: 8) {
                    let verified = try #require(coupon.verified, "\(coupon.serial)")
                    let revealed = try CouponRevealer(keys: ring).reveal(png: coupon.png)
                    #expect(verified.terms == revealed.terms)
                    #expect(verified.epoch == revealed.epoch)
                }
            }
        }
    }
}
