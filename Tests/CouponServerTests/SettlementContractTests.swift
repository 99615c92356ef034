import CouponKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import StoreTestSupport
import Testing

/// What a coupon's limits count, the same on every store: every redemption of its serial,
/// whatever terms each one was made under. An issuer who mints a serial again with a
/// limit means the serial's uses so far to count (PostgreSQL counted only the uses made
/// under a limit until its schema version 7).
@Suite(.timeLimit(.minutes(5))) struct SettlementContractTests {
    @Test(arguments: StoreKind.allCases) func aLimitCountsEveryRedemptionOfItsSerial(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant, price: 1000)
            let first = try await client.join()
            let second = try await client.join()
            var unlimited = FakeCoupon(productId: product, issuerId: merchant.issuer.publicKey.id)
            unlimited.serial = "SERIAL-\(kind)"
            for member in [first, first, second] {
                #expect(try await client.order(member, product: product, coupon: unlimited.base64).status == .created)
            }
            // The same serial minted again, at most 4 uses in all: three are already made.
            var total = unlimited
            total.maxUsesTotal = 4
            #expect(try await client.order(second, product: product, coupon: total.base64).status == .created)
            try expectProblem(
                try await client.order(second, product: product, coupon: total.base64), .unprocessableContent,
                "coupon_exhausted")
            // And at most 2 per member: the first member has used it twice.
            var perMember = unlimited
            perMember.maxUsesPerMember = 2
            try expectProblem(
                try await client.order(first, product: product, coupon: perMember.base64), .unprocessableContent,
                "coupon_exhausted")
            let third = try await client.join()
            #expect(try await client.order(third, product: product, coupon: perMember.base64).status == .created)
        }
    }
}
