public import CouponKit
@testable public import CouponSQLite
@testable public import CouponStore
import Foundation
public import GRDB

/// A store with one member, one merchant and one product, and orders settled through
/// the store's own write path (``SQLiteStore/settle(_:)``, or the PostgreSQL store's),
/// as the server settles them.
public struct AuditFixture: Sendable {
    public let store: any CouponRepository
    public let memberId: String
    public let merchantId: String
    public let productId: String

    public static let eur = Currency("EUR")!

    /// A new member and merchant with a 10.00 EUR product in `store`.
    public static func make(_ store: any CouponRepository) async throws -> AuditFixture {
        let merchant = try await store.createMerchant(
            name: "Shop", issuer: IssuerKey().publicKey, tokenHash: AccessToken.generate(.merchant).hash, at: Date())
        let product = try await store.createProduct(
            NewProduct(
                merchantId: merchant.id, sku: "SKU", name: "Lamp", description: "",
                price: Money(amount: 1000, currency: eur)),
            at: Date())
        return try await make(store, merchantId: merchant.id, productId: product.id)
    }

    /// A new member buying `productId` of `merchantId` (the demo's, say) in `store`.
    public static func make(_ store: any CouponRepository, merchantId: String, productId: String) async throws -> AuditFixture {
        let member = try await store.createMember(
            NewMember(kind: .individual, name: "A", email: "\(UUID().uuidString.prefix(8))@example.org", company: nil),
            tokenHash: AccessToken.generate(.member).hash, at: Date())
        return AuditFixture(store: store, memberId: member.id, merchantId: merchantId, productId: productId)
    }

    /// Settles an order of `quantity` at `list` minor units with `discount` off.
    @discardableResult
    public func settle(list: Int64 = 1000, discount: Int64 = 0, quantity: Int = 1) async throws -> Order {
        let suffix = UUID().uuidString.prefix(12).lowercased()
        let order = Order(
            id: "ord_\(suffix)", memberId: memberId, productId: productId, merchantId: merchantId, quantity: quantity,
            listTotal: Money(amount: list, currency: Self.eur), discount: Money(amount: discount, currency: Self.eur),
            total: Money(amount: list - discount, currency: Self.eur), couponSerial: nil, paymentId: "pay_\(suffix)",
            transactionId: "txn_\(suffix)", createdAt: "2026-11-28T02:00:00Z")
        let response = IdempotencyRecord(fingerprint: "f", status: 201, body: Array("{}".utf8))
        let outcome = try await store.settle(
            Settlement(order: order, redemption: nil, idempotencyKey: "key-\(suffix)", response: response))
        guard case .settled(let settled) = outcome else { throw FixtureFailure.notSettled(order.id) }
        return settled
    }

}

public enum FixtureFailure: Error {
    case notSettled(String)
    case notSQLite
}

extension AuditFixture {
    /// The store when it is SQLite (the fixtures that tamper with raw SQL).
    public var sqlite: SQLiteStore {
        get throws {
            guard let sqlite = store as? SQLiteStore else { throw FixtureFailure.notSQLite }
            return sqlite
        }
    }

    /// Runs `sql` in one write transaction of the SQLite store, as a tamperer with raw
    /// access would.
    public func execute(_ sql: String, _ arguments: StatementArguments = []) async throws {
        try await sqlite.writer.write { db in try db.execute(sql: sql, arguments: arguments) }
    }
}
