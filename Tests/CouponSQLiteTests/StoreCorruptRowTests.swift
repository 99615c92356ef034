import CouponKit
@testable import CouponSQLite
@testable import CouponStore
import Foundation
import GRDB
import StoreTestSupport
import Testing

/// Rows written behind the store's back (raw SQL) that the readers must refuse with
/// ``StoreError/corruptRow(table:column:)`` instead of repairing them.
@Suite struct StoreCorruptRowTests {
    /// A store with one merchant: the store, the merchant's id and the data directory.
    private func storeWithMerchant() async throws -> (SQLiteStore, String, String) {
        let directory = makeTemporaryDirectory()
        let store = try SQLiteStore(dataDirectory: directory)
        let merchant = try await store.createMerchant(
            name: "Shop", issuer: IssuerKey().publicKey, tokenHash: AccessToken.generate(.merchant).hash, at: Date())
        return (store, merchant.id, directory)
    }

    /// A product of the merchant, made through the store.
    private func lamp(_ store: SQLiteStore, merchantId: String) async throws -> Product {
        try await store.createProduct(
            NewProduct(
                merchantId: merchantId, sku: "SKU", name: "Lamp", description: "",
                price: Money(amount: 100, currency: Currency("EUR")!)),
            at: Date())
    }

    private func execute(_ store: SQLiteStore, _ sql: String, _ arguments: StatementArguments = []) async throws {
        try await store.writer.write { db in try db.execute(sql: sql, arguments: arguments) }
    }

    @Test func productWithUnknownCurrencyIsRefused() async throws {
        let (store, merchantId, directory) = try await storeWithMerchant()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await execute(
            store,
            """
            INSERT INTO products (id, merchant_id, sku, name, description, price_amount, currency, created_at)
            VALUES ('prod_x', ?, 'SKU', 'Lamp', '', 100, 'euro', 'now')
            """, [merchantId])
        await #expect(throws: StoreError.corruptRow(table: "products", column: "currency")) {
            _ = try await store.products()
        }
        await #expect(throws: StoreError.corruptRow(table: "products", column: "currency")) {
            _ = try await store.product(id: "prod_x")
        }
    }

    @Test func amountCouponWithoutCurrencyIsRefused() async throws {
        let (store, merchantId, directory) = try await storeWithMerchant()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let product = try await lamp(store, merchantId: merchantId)
        try await execute(
            store,
            """
            INSERT INTO coupons (id, product_id, issuer_id, serial, title, discount_kind, discount_value,
                discount_currency, png, created_at)
            VALUES ('cpn_x', ?, 'iss_x', 'S-1', 'Ten off', 'amount', 1000, NULL, x'00', 'now')
            """, [product.id])
        await #expect(throws: StoreError.corruptRow(table: "coupons", column: "discount_currency")) {
            _ = try await store.listedCoupons(productId: product.id, limit: 8)
        }
    }

    @Test func corporateMemberWithoutRegistrationNumberIsRefused() async throws {
        let (store, _, directory) = try await storeWithMerchant()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await execute(
            store,
            """
            INSERT INTO members (id, kind, name, email, email_key, company_name, company_registration_number, created_at)
            VALUES ('mem_x', 'corporate', 'A', 'a@b.co', 'a@b.co', 'ACME', NULL, 'now')
            """)
        await #expect(throws: StoreError.corruptRow(table: "members", column: "company_registration_number")) {
            _ = try await store.member(id: "mem_x")
        }
    }

    @Test func orderWithUnknownCurrencyIsRefused() async throws {
        let (store, merchantId, directory) = try await storeWithMerchant()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let member = try await store.createMember(
            NewMember(kind: .individual, name: "A", email: "a@b.co", company: nil),
            tokenHash: AccessToken.generate(.member).hash, at: Date())
        let product = try await lamp(store, merchantId: merchantId)
        try await execute(
            store,
            """
            INSERT INTO orders (id, member_id, product_id, merchant_id, quantity, list_amount, discount_amount,
                total_amount, currency, coupon_serial, payment_id, transaction_id, created_at)
            VALUES ('ord_x', ?, ?, ?, 1, 100, 0, 100, '', NULL, 'pay_x', 'txn_x', 'now');
            -- Since "v3" an order commits only with its payment and its closed, matching ledger
            -- transaction; the damaged currency is consistent across them, so only the reader refuses it.
            INSERT INTO payments (id, order_id, transaction_id, amount, currency, status, created_at)
            VALUES ('pay_x', 'ord_x', 'txn_x', 100, '', 'settled', 'now');
            INSERT INTO ledger_entries (transaction_id, account, amount, currency, created_at)
            VALUES ('txn_x', 'member:' || ?, -100, '', 'now'), ('txn_x', 'merchant:' || ?, 100, '', 'now');
            INSERT INTO ledger_transactions (id, created_at) VALUES ('txn_x', 'now');
            """, [member.id, product.id, merchantId, member.id, merchantId])
        await #expect(throws: StoreError.corruptRow(table: "orders", column: "currency")) {
            _ = try await store.orders(memberId: member.id)
        }
    }

    @Test func merchantKeyOfTheWrongSizeIsRefused() async throws {
        let (store, merchantId, directory) = try await storeWithMerchant()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The table's CHECK would refuse the write; switch it off to damage the row.
        try await store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: "UPDATE merchants SET public_key = x'0102' WHERE id = ?", arguments: [merchantId])
            try db.execute(sql: "PRAGMA ignore_check_constraints = OFF")
        }
        await #expect(throws: StoreError.corruptRow(table: "merchants", column: "public_key")) {
            _ = try await store.keyRing()
        }
        await #expect(throws: StoreError.corruptRow(table: "merchants", column: "public_key")) {
            _ = try await store.merchant(id: merchantId)
        }
    }

    @Test func storeErrorsNameTheirReasonCodes() {
        #expect(StoreError.memberExists.reasonCode == .memberExists)
        #expect(StoreError.productNotFound("p").reasonCode == .productNotFound)
        #expect(StoreError.couponExhausted(serial: "S", perMember: true).reasonCode == .couponExhausted)
        #expect(StoreError.merchantNotFound("m").reasonCode == .forbidden)
        #expect(StoreError.corruptRow(table: "t", column: "c").reasonCode == .internalError)
        #expect(StoreError.corruptRow(table: "orders", column: "currency").description
            == "the database holds a damaged row in orders (column currency)")
    }
}
