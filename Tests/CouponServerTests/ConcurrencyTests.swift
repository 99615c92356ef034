import CouponKit
import CouponServer
import CouponStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import StoreTestSupport
import Testing

@Suite struct ConcurrencyTests {
    /// 50 members race for a coupon with `max_uses_total` 1: one order settles, 49 get
    /// `coupon_exhausted` and only a history row; the ledger stays balanced.
    @Test(arguments: StoreKind.allCases) func fiftyOrdersRaceForOneUse(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant, price: 999)
            var members: [TestMember] = []
            for _ in 0..<50 { members.append(try await client.join()) }
            let coupon = FakeCoupon(productId: product, maxUsesTotal: 1, issuerId: merchant.issuer.publicKey.id)
            let codes = try await withThrowingTaskGroup(of: String.self) { group in
                for member in members {
                    group.addTask {
                        let response = try await client.order(member, product: product, coupon: coupon.base64)
                        return response.status == .created ? "created" : (try json(response)["code"] as? String ?? "?")
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(codes.filter { $0 == "created" }.count == 1)
            #expect(codes.filter { $0 == "coupon_exhausted" }.count == 49)
            try await expectBalancedLedger(server.store, transactions: 1)
            var rejections = 0
            for member in members {
                rejections += (try await client.history(member)["rejections"] as? [Any])?.count ?? 0
            }
            #expect(rejections == 49)
        }
    }
}

func expectBalancedLedger(_ store: any CouponRepository, transactions: Int) async throws {
    let ledger = try await store.ledgerEntries()
    #expect(ledger.reduce(0) { $0 + $1.amount } == 0)
    let byTransaction = Dictionary(grouping: ledger, by: \.transactionId)
    #expect(byTransaction.count == transactions)
    for (_, entries) in byTransaction {
        #expect(entries.reduce(0) { $0 + $1.amount } == 0)
        #expect(entries.count == 2)
    }
}
