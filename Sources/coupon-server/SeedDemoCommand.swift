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
            DIR/demo/merchant.token (both mode 0600). The token is printed only when created.
            """)

    @OptionGroup var data: DataOptions

    func run() async throws {
        let store = try openStore(data.data)
        let outcome: DemoSeed.Outcome
        do {
            outcome = try await DemoSeed.run(dataDirectory: data.data, store: store)
        } catch {
            throw ContextualFailure("seed-demo failed", error, exitCode: .usageFailure)
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
            print("saved in \(data.data)/demo/merchant.token; issuer key in \(data.data)/demo/issuer.key")
        }
    }
}
