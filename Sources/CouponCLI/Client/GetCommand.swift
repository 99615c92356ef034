import ArgumentParser
import CouponKit
import Foundation
import PNGCodec

/// `coupon get PRODUCT_ID --out FILE.png [--ascii]`.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Fetch a product's coupon, save it and show it.")

    @Argument(help: "The product id (see coupon products).") var productId: String
    @Option(help: "Where to save the coupon PNG.") var out: String
    @Flag(help: "Draw the coupon in the terminal.") var ascii = false
    @OptionGroup var server: ServerOptions

    func run() async throws {
        try await reportingFailures {
            let client = try server.client(authenticated: false)
            let path = "v1/products/\(productId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? productId)/coupon"
            let response = try await client.send("GET", path)
            let png = [UInt8](response.body)
            try Files.write(png, to: out)
            print("saved coupon \(response.headers["coupon-id"] ?? "?") for \(productId) to \(out)")
            if ascii, let image = try? PNGDecoder().decode(png).image {
                print(Preview.render(image), terminator: "")
            }
            print("reveal its discount with: coupon reveal \(out)")
        }
    }
}
