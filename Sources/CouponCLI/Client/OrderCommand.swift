import ArgumentParser
import CouponAPI
import CouponKit
import Foundation

/// `coupon order PRODUCT_ID [--quantity N] [--coupon FILE.png] [--json]`.
struct OrderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: "Order a product, optionally with a coupon; prints list total, discount and total.",
        discussion: "Retries with the same --idempotency-key settle once.")

    @Argument(help: "The product id.") var productId: String
    @Option(help: "How many.") var quantity: Int = 1
    @Option(help: "A coupon PNG to apply.") var coupon: String?
    @Option(help: "Idempotency key (default: a new random one).") var idempotencyKey: String?
    @OptionGroup var server: ServerOptions
    @Flag(help: "Print the order as JSON.") var json = false

    func validate() throws {
        guard quantity >= 1 else { throw ValidationError("--quantity must be at least 1") }
    }

    func run() async throws {
        let client = try server.client()
        guard client.token != nil else {
            throw CommandFailure("only members can order: run coupon join first", exitCode: ExitStatus.usage)
        }
        let png = try coupon.map { path throws(CommandFailure) in Data(try Files.read(path)).base64EncodedString() }
        let key = idempotencyKey ?? UUID().uuidString
        let order = try await client.call {
            try await $0.createOrder(
                headers: .init(idempotencyKey: key),
                body: .json(.init(productId: productId, quantity: quantity, couponPng: png))
            ).created.body.json
        }
        try ClientWireFormat.show(order, json: json) { order in
            print("order \(order.orderId): \(order.quantity) x \(order.productId)")
            print("list total  \(order.listTotal)")
            print("discount    \(order.discount)" + (order.couponSerial?.value.map { "  (coupon \($0))" } ?? ""))
            print("total       \(order.total)")
            print("payment     \(order.payment.paymentId) \(order.payment.status.rawValue)")
        }
    }
}
