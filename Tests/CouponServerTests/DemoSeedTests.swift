import CouponKit
import CouponServer
import CouponSQLite
import CouponStore
import Foundation
import Testing

/// The demo catalogue keeps its discounts sealed: what everyone sees (product names,
/// descriptions, coupon titles, and so the artwork) never tells the discount.
@Suite struct DemoSeedTests {
    @Test func demoTextsDoNotTellTheDiscount() async throws {
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(dataDirectory: directory)
        guard case .created(_, _, let products) = try await DemoSeed.run(dataDirectory: directory, store: store) else {
            Issue.record("expected a fresh demo")
            return
        }
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
