import CouponKit
import CouponMinting
public import CouponStore
import Foundation
import RobustMark

/// `coupon-server seed-demo`: a demo merchant with its issuer key in
/// `<data>/demo/issuer.key` (0600), four EUR products and one minted coupon each (rates
/// and amounts; valid from yesterday for a year; the espresso coupon has no use limits,
/// for load tests), and a fifth coupon minted for the travel mug but not uploaded,
/// `<data>/demo/upload-me-spring-mug-deal.png`, for trying the shop's upload form. Everything is minted before anything is written, so a failure
/// leaves no half-made demo. Idempotent: when the demo merchant exists it does nothing.
/// Titles, product names and descriptions (and so the artwork) never tell the discount:
/// only a member who reveals a coupon sees it.
public enum DemoSeed {
    public enum Outcome: Sendable {
        /// Created now; the token is also saved in `<data>/demo/merchant.token` (0600).
        case created(merchant: Merchant, token: String, products: [Product])
        case alreadyPresent(merchantId: String)
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    struct Item {
        let sku: String
        let name: String
        let description: String
        let price: Int64
        let title: String
        let discount: Discount
        let maxUsesTotal: Int?
        let maxUsesPerMember: Int?
    }

    static func items(_ eur: Currency) -> [Item] {
        [
            Item(
                sku: "ESP-1KG", name: "Espresso beans, 1 kg", description: "Dark roast, whole beans.", price: 1899,
                title: "Espresso deal", discount: .rate(basisPoints: 1500), maxUsesTotal: nil, maxUsesPerMember: nil),
            Item(
                sku: "MUG-TRAVEL", name: "Travel mug", description: "Insulated, 350 ml.", price: 999,
                title: "Mug deal", discount: .rate(basisPoints: 1500), maxUsesTotal: 1000, maxUsesPerMember: 1),
            Item(
                sku: "POUR-OVER", name: "Ceramic pour-over", description: "Hand-made dripper, size 02.", price: 2450,
                title: "Pour-over deal", discount: .amount(Money(amount: 500, currency: eur)),
                maxUsesTotal: 500, maxUsesPerMember: 1),
            Item(
                sku: "COURSE-BARISTA", name: "Barista course", description: "Three hours, milk and latte art.",
                price: 12000, title: "Barista course deal", discount: .rate(basisPoints: 2500), maxUsesTotal: 100,
                maxUsesPerMember: 1),
        ]
    }

    /// The minted, not uploaded coupon for the shop's upload form, in `<data>/demo/`.
    public static let spareCouponFile = "upload-me-spring-mug-deal.png"

    public static func run(dataDirectory: String, store: any CouponRepository, now: Date = Date()) async throws -> Outcome {
        let demo = URL(fileURLWithPath: dataDirectory, isDirectory: true).appendingPathComponent("demo", isDirectory: true)
        let demoDirectory = demo.path
        let keyPath = demo.appendingPathComponent("issuer.key").path
        let tokenPath = demo.appendingPathComponent("merchant.token").path
        try FileManager.default.createDirectory(
            atPath: demoDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])

        let existingKey = FileManager.default.fileExists(atPath: keyPath) ? try KeyFiles.readIssuerKey(at: keyPath) : nil
        if let existingKey, let merchant = try await store.merchant(issuerId: existingKey.publicKey.id) {
            return .alreadyPresent(merchantId: merchant.id)
        }
        let issuer = existingKey ?? IssuerKey()
        let revealKey = try await store.ensureRevealKey()
        let eur = Currency("EUR")!
        let from = Int64(now.timeIntervalSince1970) - 86_400
        let until = from + 86_400 + 365 * 86_400

        // Mint first (CPU only): nothing is written if minting fails.
        // With the merchant's own first robust key (made here, stored with the merchant):
        // copies of the demo coupons (a JPEG, a screenshot) still name them.
        let robustKey = RobustKey()
        var minter = CouponMinter(issuer: issuer, revealKey: revealKey)
        minter.robustKey = robustKey
        var planned: [(NewProduct, StoredCoupon)] = []
        for (index, item) in items(eur).enumerated() {
            let productId = Identifier.make("prod")
            let terms = CouponTerms(
                serial: "DEMO-\(index + 1)-\(productId.suffix(8))", productId: productId, title: item.title,
                discount: item.discount, validFrom: from, validUntil: until, maxUsesTotal: item.maxUsesTotal,
                maxUsesPerMember: item.maxUsesPerMember, issuerId: issuer.publicKey.id)
            let minted: CouponMinter.Minted
            do {
                minted = try minter.mint(terms, productName: item.name)
            } catch {
                throw Failure(description: "cannot mint the demo coupon for \(item.sku): \(error)")
            }
            var coupon = StoredCoupon(
                id: Identifier.make("cpn"), productId: productId, issuerId: minted.terms.issuerId,
                serial: minted.terms.serial, title: minted.terms.title, discount: minted.terms.discount,
                png: minted.png,
                robustId: CouponRobustIdentity.hex(
                    CouponRobustIdentity.identifier(issuerId: minted.terms.issuerId, serial: minted.terms.serial, key: robustKey)),
                robustKeyGeneration: 1)
            // Minted here, so its terms are known as an upload would have verified them.
            coupon.verified = VerifiedTerms(terms: minted.terms, epoch: revealKey.epoch)
            planned.append(
                (
                    NewProduct(
                        id: productId, merchantId: "", sku: item.sku, name: item.name, description: item.description,
                        price: Money(amount: item.price, currency: eur)),
                    coupon
                ))
        }

        // One more coupon, minted but not uploaded, for the shop's upload form: a newcomer
        // tries the shop's terminal without minting anything first.
        let mug = planned[1].0
        let mugId = mug.id ?? ""
        let spareTerms = CouponTerms(
            serial: "DEMO-SPARE-\(mugId.suffix(8))", productId: mugId, title: "Spring mug deal",
            discount: .rate(basisPoints: 2000), validFrom: from, validUntil: until, maxUsesTotal: 200,
            maxUsesPerMember: 1, issuerId: issuer.publicKey.id)
        let spare: CouponMinter.Minted
        do {
            spare = try minter.mint(spareTerms, productName: mug.name)
        } catch {
            throw Failure(description: "cannot mint the demo's coupon to upload: \(error)")
        }

        if existingKey == nil {
            try KeyFiles.write(issuer.base64 + "\n", to: keyPath, mode: 0o600, overwrite: false)
        }
        let token = AccessToken.generate(.merchant)
        let merchant = try await store.createMerchant(
            name: "Couponmark Demo Roastery", issuer: issuer.publicKey, tokenHash: token.hash, robustKey: robustKey,
            at: now)
        var products: [Product] = []
        for (product, coupon) in planned {
            var product = product
            product.merchantId = merchant.id
            products.append(try await store.createProduct(product, at: now))
            try await store.addCoupon(coupon, at: now)
        }
        try KeyFiles.write(token.value + "\n", to: tokenPath, mode: 0o600, overwrite: true)
        try Data(spare.png).write(to: demo.appendingPathComponent(Self.spareCouponFile))
        return .created(merchant: merchant, token: token.value, products: try await products.asyncMap { try await store.product(id: $0.id) ?? $0 })
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
