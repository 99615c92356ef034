import CouponKit
import Foundation

/// The `coupon reveal --json` document.
struct RevealReport: Encodable {
    struct DiscountJSON: Encodable {
        let kind: String
        let basisPoints: Int?
        let amount: Money?
    }

    let serial: String
    let productId: String
    let title: String
    let discount: DiscountJSON
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
        switch terms.discount {
        case .rate(let points): discount = DiscountJSON(kind: "rate", basisPoints: points, amount: nil)
        case .amount(let money): discount = DiscountJSON(kind: "amount", basisPoints: nil, amount: money)
        }
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
        let headline =
            switch discount.kind {
            case "rate": Discount.rate(basisPoints: discount.basisPoints ?? 0).headline
            default: discount.amount.map { Discount.amount($0).headline } ?? "?"
            }
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
