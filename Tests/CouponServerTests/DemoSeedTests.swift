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
        try await withFreshDemo { store, products, _ in try await body(store, products) }
    }

    static func withFreshDemo(_ body: (SQLiteStore, [Product], String) async throws -> Void) async throws {
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(dataDirectory: directory)
        guard case .created(_, _, let products) = try await DemoSeed.run(dataDirectory: directory, store: store) else {
            Issue.record("expected a fresh demo")
            return
        }
        try await body(store, products, directory)
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

    /// The coupon left for the shop's upload form: minted for the travel mug under the demo
    /// issuer and reveal key, not uploaded (so an upload of it is accepted).
    @Test func theDemoLeavesACouponToUpload() async throws {
        try await Self.withFreshDemo { store, products, directory in
            let path = "\(directory)/demo/\(DemoSeed.spareCouponFile)"
            let png = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let revealed = try CouponRevealer(keys: try await store.keyRing()).reveal(png: png)
            let mug = try #require(products.first { $0.sku == "MUG-TRAVEL" })
            #expect(revealed.terms.productId == mug.id && !revealed.tampered)
            #expect(try await store.coupon(issuerId: revealed.terms.issuerId, serial: revealed.terms.serial) == nil)
        }
    }
}
