import CouponKit
public import Foundation
import GRDB

extension SQLiteStore: CatalogRepository {
    public func products() async throws -> [Product] {
        try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM products ORDER BY seq")
            let links = try Self.couponLinks(db, productId: nil)
            return rows.map { Self.product(row: $0, coupons: links[$0["id"] as String] ?? []) }
        }
    }

    public func product(id: String) async throws -> Product? {
        try await writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM products WHERE id = ?", arguments: [id]) else {
                return nil
            }
            return Self.product(row: row, coupons: try Self.couponLinks(db, productId: id)[id] ?? [])
        }
    }

    public func createProduct(_ new: NewProduct, at date: Date) async throws -> Product {
        let product = Product(
            id: new.id ?? Identifier.make("prod"), merchantId: new.merchantId, sku: new.sku, name: new.name,
            description: new.description, price: new.price)
        let now = Timestamp.string(date)
        return try await writer.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM merchants WHERE id = ?", arguments: [new.merchantId]) == true
            else { throw StoreError.merchantNotFound(new.merchantId) }
            try db.execute(
                sql: """
                    INSERT INTO products (id, merchant_id, sku, name, description, price_amount, currency, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    product.id, product.merchantId, product.sku, product.name, product.description,
                    product.price.amount, product.price.currency.code, now,
                ])
            return product
        }
    }

    public func addCoupon(_ coupon: StoredCoupon, at date: Date) async throws {
        let now = Timestamp.string(date)
        let (kind, value, currency): (String, Int64, String?) =
            switch coupon.discount {
            case .rate(let points): ("rate", Int64(points), nil)
            case .amount(let money): ("amount", money.amount, money.currency.code)
            }
        try await writer.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM products WHERE id = ?", arguments: [coupon.productId]) == true
            else { throw StoreError.productNotFound(coupon.productId) }
            try db.execute(
                sql: """
                    INSERT INTO coupons (id, product_id, issuer_id, serial, title, discount_kind, discount_value,
                        discount_currency, png, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    coupon.id, coupon.productId, coupon.issuerId, coupon.serial, coupon.title, kind, value, currency,
                    Data(coupon.png), now,
                ])
        }
    }

    public func newestCoupon(productId: String) async throws -> StoredCoupon? {
        try await writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM coupons WHERE product_id = ? ORDER BY seq DESC LIMIT 1", arguments: [productId])
            else { return nil }
            let value: Int64 = row["discount_value"]
            let discount: Discount
            if row["discount_kind"] == "amount", let currency = Currency(row["discount_currency"] ?? "") {
                discount = .amount(Money(amount: value, currency: currency))
            } else {
                discount = .rate(basisPoints: Int(value))
            }
            return StoredCoupon(
                id: row["id"], productId: row["product_id"], issuerId: row["issuer_id"], serial: row["serial"],
                title: row["title"], discount: discount, png: Array(row["png"] as Data))
        }
    }

    /// Coupon links by product id (all products when `productId` is nil), oldest first.
    private static func couponLinks(_ db: Database, productId: String?) throws -> [String: [Product.CouponLink]] {
        let rows =
            if let productId {
                try Row.fetchAll(
                    db, sql: "SELECT id, product_id, title FROM coupons WHERE product_id = ? ORDER BY seq",
                    arguments: [productId])
            } else {
                try Row.fetchAll(db, sql: "SELECT id, product_id, title FROM coupons ORDER BY seq")
            }
        var links: [String: [Product.CouponLink]] = [:]
        for row in rows {
            links[row["product_id"], default: []].append(Product.CouponLink(id: row["id"], title: row["title"]))
        }
        return links
    }

    private static func product(row: Row, coupons: [Product.CouponLink]) -> Product {
        Product(
            id: row["id"], merchantId: row["merchant_id"], sku: row["sku"], name: row["name"],
            description: row["description"],
            price: Money(amount: row["price_amount"], currency: Currency(row["currency"]) ?? Currency("XXX")!),
            coupons: coupons)
    }
}
