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
    /// `true` for a coupon signed `personal` (each member gets a copy of their own); absent
    /// for every other, whose JSON keeps its documented keys exactly.
    let personal: Bool?
    /// A personal copy's binding to its member; absent for every other picture.
    let copy: Copy?

    /// `copy` in the JSON: whose copy, and whether the server's signature over the binding
    /// verified against the server keys of the profile (`verified`: `unknown_key` when the
    /// profile's keys predate the key that signed it: `coupon join` and `coupon merchant login` save them).
    struct Copy: Encodable {
        let memberId: String
        let copyId: String
        let issuedAt: String
        let serverKeyId: String
        let verified: String
    }

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
        personal = terms.personal ? true : nil
        copy = coupon.binding.map { binding in
            Copy(
                memberId: binding.memberId, copyId: CouponRobustIdentity.hex(binding.copyId),
                issuedAt: Self.iso(binding.issuedAt), serverKeyId: binding.serverKeyId,
                verified: (coupon.bindingVerification ?? .unknownKey).rawValue)
        }
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
        if let copy {
            let verdict =
                copy.verified == CopyBinding.Verification.valid.rawValue
                ? "the server's signature verifies"
                : "not verified: the server key \(copy.serverKeyId) is not among the keys saved when you joined or logged in"
            lines.append("copy:      personal copy of \(copy.memberId) (copy \(copy.copyId), issued \(copy.issuedAt)); \(verdict)")
        } else if personal == true {
            lines.append("copy:      a personal coupon as its merchant minted it: members order with their own copy")
        }
        if tampered {
            lines.append(
                "TAMPERED:  the artwork was edited after minting (\(String(format: "%.1f", tamperedFraction * 100))% of the image)")
        }
        return lines
    }
}
