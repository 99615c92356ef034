import CouponAPI
import CouponKit
import Foundation

/// The `coupon reveal --json` document. Its `discount` has the API's `Discount` shape.
struct RevealReport: Encodable {
    let serial: String
    let productId: String
    let title: String
    let discount: Components.Schemas.Discount
    let validFrom: String
    let validUntil: String
    let issuerId: String
    let epoch: UInt32
    let tampered: Bool
    let tamperedFraction: Double

    init(_ coupon: RevealedCoupon) {
        let terms = coupon.terms
        serial = terms.serial
        productId = terms.productId
        title = terms.title
        discount = Components.Schemas.Discount(terms.discount)
        validFrom = Self.iso(terms.validFrom)
        validUntil = Self.iso(terms.validUntil)
        issuerId = terms.issuerId
        epoch = coupon.epoch
        tampered = coupon.tampered
        tamperedFraction = coupon.tamperedFraction
    }

    static func iso(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
    }

    /// The human summary.
    var lines: [String] {
        let headline = Discount(discount)?.headline ?? "?"
        var lines = [
            "\(title)",
            "discount:  \(headline)",
            "product:   \(productId)",
            "valid:     \(validFrom) to \(validUntil)",
            "serial:    \(serial)",
            "issuer:    \(issuerId) (reveal-key epoch \(epoch))",
        ]
        if tampered {
            lines.append(
                "TAMPERED:  the artwork was edited after minting (\(String(format: "%.1f", tamperedFraction * 100))% of the image)")
        }
        return lines
    }
}
