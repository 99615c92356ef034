import ArgumentParser
import CommandLineEntry
import CouponServer
import CouponStore
import Foundation

struct SeedDemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-demo",
        abstract: "Add a demo merchant, products and coupons (once; later runs change nothing).",
        discussion: """
            The demo issuer key is saved as DIR/demo/issuer.key and the merchant token as \
            DIR/demo/merchant.token (both mode 0600). The token is printed only when created. \
            DIR/demo/upload-me-spring-mug-deal.png is one more coupon, minted for the travel mug \
            but not uploaded, for trying the shop's upload form.
            """)

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let outcome: DemoSeed.Outcome = try await store.withStore { opened in
            do {
                return try await DemoSeed.run(dataDirectory: store.dataDirectory, store: opened.repository)
            } catch {
                throw ContextualFailure("seed-demo failed", error, exitCode: .usageFailure)
            }
        }
        switch outcome {
        case .alreadyPresent(let merchantId):
            print("demo data already present (merchant \(merchantId)); nothing changed")
        case .created(let merchant, let token, let products):
            print("demo merchant \(merchant.id) (\(merchant.name), issuer \(merchant.issuerId))")
            for product in products {
                print("  \(product.id)  \(product.sku)  \(product.price)  \(product.coupons.map(\.title).joined(separator: ", "))")
            }
            print("merchant token: \(token)")
            print("saved in \(store.dataDirectory)/demo/merchant.token; issuer key in \(store.dataDirectory)/demo/issuer.key")
            print("a coupon minted for the travel mug, to upload: \(store.dataDirectory)/demo/\(DemoSeed.spareCouponFile)")
        }
    }
}
