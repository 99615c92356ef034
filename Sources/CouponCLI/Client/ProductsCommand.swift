import ArgumentParser
import CouponAPI
import CouponKit

/// `coupon products [--json]`.
struct ProductsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "products", abstract: "List the products on offer.")

    @OptionGroup var server: ServerOptions
    @Flag(help: "Print the server's JSON.") var json = false

    func run() async throws {
        let products = try await server.client(authenticated: false).call { try await $0.listProducts().ok.body.json }
        try ClientWireFormat.show(products, json: json) { products in
            if products.products.isEmpty { print("no products yet") }
            for product in products.products {
                let coupons = product.coupons.isEmpty ? "" : "  [coupon: \(product.coupons.map(\.title).joined(separator: ", "))]"
                print("\(product.id)  \(product.name)  \(product.price)\(coupons)")
            }
        }
    }
}
