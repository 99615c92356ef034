import ArgumentParser
import CouponAPI
import CouponKit
import OpenAPIRuntime
import Foundation
import PNGCodec

/// `coupon get PRODUCT_ID --out FILE.png [--ascii]`.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Fetch a product's coupon, save it and show it.")

    @Argument(help: "The product id (see coupon products).") var productId: String
    @Option(help: "Where to save the coupon PNG.") var out: String
    @Option(help: "Permission bits of the saved coupon, octal (owner only by default).") var mode = FileMode.owner
    @Flag(help: "Draw the coupon in the terminal.") var ascii = false
    @OptionGroup var server: ServerOptions

    /// The largest coupon accepted from the server (the server's own body limit).
    static var maxBytes: Int { 8 * 1024 * 1024 }

    func run() async throws {
        // The saved token goes along: a personal coupon is handed out only to a member, as
        // the member's own copy.
        let client = try server.client()
        let (couponId, copyId, png) = try await client.call {
            let coupon = try await $0.getProductCoupon(path: .init(productId: productId)).ok
            return (
                coupon.headers.couponId, coupon.headers.couponCopyId,
                try await [UInt8](collecting: try coupon.body.png, upTo: Self.maxBytes)
            )
        }
        try Files.write(png, to: out, mode: mode)
        if let copyId {
            print("saved your personal copy \(copyId) of coupon \(couponId) for \(productId) to \(out)")
        } else {
            print("saved coupon \(couponId) for \(productId) to \(out)")
        }
        if ascii, let image = try? PNGDecoder().decode(png).image {
            Swift.print(Preview.render(image), terminator: "")
        }
        print("reveal its discount with: coupon reveal \(out)")
    }
}
