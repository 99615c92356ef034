import ArgumentParser
import CouponAPI
import CouponKit
import Foundation
import ImageFormats
import OpenAPIRuntime

/// `coupon identify FILE [--json]`: asks the server which coupon a picture is.
struct IdentifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identify",
        abstract: "Ask the server which coupon a picture is: the original PNG or a copy (JPEG, WebP, resized, cropped, a screenshot).",
        discussion: """
            Members and merchants (a saved profile). The original is named by its watermark, a \
            copy by its robust layer; members also see the discount. Exit codes: 3 neither \
            layer found, 7 a layer names no coupon of this server. A copy is read under the robust \
            keys of one merchant: a merchant's own; for a member, those of --product's merchant \
            (a server with many merchants needs it for copies).
            """)

    @Argument(help: "The picture: PNG, JPEG or WebP.") var file: String
    @Option(help: "The product the coupon is for: its merchant's robust keys read a copy (members).")
    var product: String?
    @OptionGroup var server: ServerOptions
    @Flag(help: "Print the server's JSON.") var json = false

    func run() async throws {
        let identified = try await Self.identify(try Files.read(file), productId: product, client: try server.client())
        try ClientWireFormat.show(identified, json: json) { Self.lines(of: $0).forEach { print($0) } }
    }

    /// The server's answer for `bytes`, sent with the media type its signature shows.
    static func identify(_ bytes: [UInt8], productId: String? = nil, client: APIClient) async throws(CommandFailure)
        -> Components.Schemas.IdentifiedCoupon
    {
        guard client.token != nil else {
            throw CommandFailure("identifying needs a member or merchant: run coupon join first", exitCode: ExitStatus.usage)
        }
        let body = HTTPBody(bytes)
        let request: Operations.IdentifyCoupon.Input.Body =
            switch ImageFormat(sniffing: bytes) {
            case .jpeg: .jpeg(body)
            case .webp: .imageWebp(body)
            case .png, nil: .png(body)
            }
        return try await client.call { try await $0.identifyCoupon(query: .init(productId: productId), body: request).ok.body.json }
    }

    /// The human summary.
    static func lines(of coupon: Components.Schemas.IdentifiedCoupon) -> [String] {
        var lines = [
            coupon.title,
            "coupon:    \(coupon.couponId) (serial \(coupon.serial))",
            "product:   \(coupon.productId)",
        ]
        if let discount = coupon.discount.flatMap(Discount.init) { lines.insert("discount:  \(discount.headline)", at: 1) }
        lines.append(
            coupon.layer == .fragile
                ? "picture:   the original (its watermark verified)"
                : "picture:   a copy (recompressed, resized or cropped), named by its robust layer")
        return lines
    }
}
