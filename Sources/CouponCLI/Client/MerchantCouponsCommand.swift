import ArgumentParser
import CouponAPI
import Foundation

/// `coupon merchant coupons [--json]`: the merchant's coupons with their redemptions and
/// personal copies.
struct MerchantCouponsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coupons",
        abstract: "List your coupons, newest first: redemptions, and for personal coupons the copies issued and redeemed.")

    @OptionGroup var server: ServerOptions
    @Flag(help: "Print the server's JSON.") var json = false

    func run() async throws {
        let list = try await server.client().call { try await $0.listMerchantCoupons().ok.body.json }
        try ClientWireFormat.show(list, json: json) { list in
            guard !list.coupons.isEmpty else {
                print("no coupons yet: coupon merchant upload PRODUCT_ID FILE.png")
                return
            }
            for coupon in list.coupons {
                var line = "\(coupon.serial)  \(coupon.title)  (\(coupon.productId)): \(coupon.uses) use(s)"
                if coupon.copiesIssued > 0 {
                    line += ", \(coupon.copiesIssued) personal copies issued, \(coupon.copiesRedeemed) redeemed"
                }
                if let revoked = coupon.revokedAt { line += ", revoked \(revoked)" }
                print(line)
            }
        }
    }
}
