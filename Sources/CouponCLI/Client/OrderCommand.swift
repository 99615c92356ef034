import ArgumentParser
import CouponAPI
import CouponKit
import Foundation
import ImageFormats

/// `coupon order PRODUCT_ID [--quantity N] [--coupon FILE] [--json]`.
struct OrderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: "Order a product, optionally with a coupon; prints list total, discount and total.",
        discussion: "Retries with the same --idempotency-key settle once.")

    @Argument(help: "The product id.") var productId: String
    @Option(help: "How many.") var quantity: Int = 1
    @Option(
        help: ArgumentHelp(
            "A coupon to apply: the PNG as minted, or a copy of it (JPEG, WebP, a resized or cropped PNG, a screenshot).",
            discussion: "A copy is named by its robust layer; the server then applies the coupon's own stored terms."))
    var coupon: String?
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
        // A PNG goes as coupon_png, as it always did; a JPEG or WebP copy as coupon_image.
        var png: String?
        var image: String?
        if let coupon {
            let bytes = try Files.read(coupon)
            let base64 = Data(bytes).base64EncodedString()
            if ImageFormat(sniffing: bytes) == .png { png = base64 } else { image = base64 }
        }
        let key = idempotencyKey ?? UUID().uuidString
        let order = try await client.call {
            try await $0.createOrder(
                headers: .init(idempotencyKey: key),
                body: .json(.init(productId: productId, quantity: quantity, couponPng: png, couponImage: image))
            ).created.body.json
        }
        try ClientWireFormat.show(order, json: json) { order in
            print("order \(order.orderId): \(order.quantity) x \(order.productId)")
            print("list total  \(order.listTotal)")
            let copy = order.couponLayer == .robust ? ", a copy named by its robust layer" : ""
            print("discount    \(order.discount)" + (order.couponSerial?.value.map { "  (coupon \($0)\(copy))" } ?? ""))
            print("total       \(order.total)")
            print("payment     \(order.payment.paymentId) \(order.payment.status.rawValue)")
        }
    }
}
