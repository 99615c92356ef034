import ArgumentParser
import CouponAPI
import CouponKit
import Foundation
import OpenAPIRuntime
import RobustMark

/// `coupon merchant …`: the order-receiving terminal.
struct MerchantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merchant",
        abstract: "The order-receiving terminal: products, coupon uploads, orders.",
        subcommands: [
            MerchantLoginCommand.self, MerchantAddProductCommand.self, MerchantUploadCommand.self,
            MerchantOrdersCommand.self, MerchantRevokeCommand.self, MerchantCouponsCommand.self,
            MerchantTraceCommand.self,
        ])
}

/// `coupon merchant login --token T`.
struct MerchantLoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Save the merchant token and fetch the keys coupon mint uses (reveal, robust).")

    @Option(help: "The token printed by coupon-server merchant add.") var token: String
    @OptionGroup var server: ServerOptions

    func run() async throws {
        let profile = Profile()
        let anonymous = try server.client(profile: profile, authenticated: false)
        let client = APIClient(baseURL: anonymous.baseURL, token: token)
        let keys = try await client.call { try await $0.getKeys().ok.body.json }
        guard let ring = keys.keyRing else {
            throw CommandFailure("the server sent keys that do not decode", exitCode: ExitStatus.server)
        }
        try profile.saveKeys(ring)
        var saved = "\(ring.revealKeys.count) reveal key(s)"
        if let text = keys.robustKey {
            guard let robust = RobustKey(base64: text) else {
                throw CommandFailure("the server sent a robust key that does not decode", exitCode: ExitStatus.server)
            }
            try profile.saveRobustKey(robust)
            saved += " and your current robust-layer key"
        }
        try profile.saveSession(Session(server: client.baseURL.absoluteString, token: token, role: "merchant", id: nil))
        print("logged in; saved \(saved) in \(profile.home)")
    }
}

/// `coupon merchant add-product --sku S --name N --price MINOR --currency C [--description D] [--json]`.
struct MerchantAddProductCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-product", abstract: "Put a product on offer.")

    @Option(help: "Your stock-keeping unit.") var sku: String
    @Option(help: "Product name.") var name: String
    @Option(help: "Price in minor units (999 = 9.99).") var price: Int64
    @Option(help: "ISO 4217 currency, e.g. EUR.") var currency: String
    @Option(help: "Description.") var description: String = ""
    @OptionGroup var server: ServerOptions
    @Flag(help: "Print the product as JSON.") var json = false

    func validate() throws {
        guard price >= 0 else { throw ValidationError("--price must not be negative") }
        guard Currency(currency) != nil else { throw ValidationError("--currency must be an ISO 4217 code like EUR") }
    }

    func run() async throws {
        let money = Money(amount: price, currency: Currency(currency)!)
        let product = try await server.client().call {
            try await $0.createProduct(
                body: .json(.init(sku: sku, name: name, description: description, price: .init(money)))
            ).created.body.json
        }
        try ClientWireFormat.show(product, json: json) { product in
            print("product \(product.id): \(product.name) at \(product.price)")
        }
    }
}

/// `coupon merchant upload PRODUCT_ID FILE.png [--title T] [--unlisted]`.
struct MerchantUploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload", abstract: "Link a minted coupon to a product (the server verifies it first).")

    @Argument(help: "The product id.") var productId: String
    @Argument(help: "The minted coupon PNG.") var file: String
    @Option(help: "Title shown in the catalogue (default: the file name).") var title: String?
    @Flag(
        help: "Keep it out of the catalogue: recognised in orders, never handed out (staff or partner coupons given by hand)."
    )
    var unlisted = false
    @OptionGroup var server: ServerOptions
    @Flag(help: "Print the server's JSON.") var json = false

    func run() async throws {
        let png = Data(try Files.read(file))
        let listed = !unlisted
        let headerTitle = title ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let uploaded = try await server.client().call {
            try await $0.uploadCoupon(
                path: .init(productId: productId), headers: .init(couponTitle: headerTitle, couponListed: listed),
                body: .png(HTTPBody(png))
            ).created.body.json
        }
        try ClientWireFormat.show(uploaded, json: json) { uploaded in
            print(
                "coupon \(uploaded.couponId) (serial \(uploaded.serial)) linked to \(productId)"
                    + (listed ? "" : ", unlisted: recognised in orders, never handed out"))
            if uploaded.personal == true {
                print("personal: each signed-in member who asks gets a copy of their own, marked for them")
            } else if !uploaded.robustLayer {
                Terminal.error(
                    "note: it has no robust layer under your current robust key, so only the original PNG will be accepted, "
                        + "not copies (JPEG, screenshots); run coupon merchant login again, then mint, to add it")
            }
        }
    }
}

/// `coupon merchant orders [--json]`.
struct MerchantOrdersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "orders", abstract: "Orders for your products.")

    @OptionGroup var server: ServerOptions
    @Flag(help: "Print the server's JSON.") var json = false

    func run() async throws {
        let orders = try await server.client().call { try await $0.listMerchantOrders().ok.body.json }
        try ClientWireFormat.show(orders, json: json) { orders in
            if orders.orders.isEmpty { print("no orders yet") }
            for order in orders.orders {
                print("\(order.orderId)  \(order.quantity) x \(order.productId)  list \(order.listTotal)  "
                    + "discount \(order.discount)  total \(order.total)")
            }
        }
    }
}
