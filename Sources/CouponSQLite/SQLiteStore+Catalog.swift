public import CouponStore
import CouponKit
public import Foundation
import GRDB

extension SQLiteStore: CatalogRepository {
    public func products() async throws -> [Product] {
        try await writer.read { db in
            let rows = try Row.fetchAll(cached: db, sql: "SELECT * FROM products ORDER BY seq")
            let links = try Self.couponLinks(db, productId: nil)
            return try rows.map { row in
                let product = try Self.product(row: row)
                return product.linking(links[product.id] ?? [])
            }
        }
    }

    public func product(id: String) async throws -> Product? {
        try await writer.read { db in
            guard let row = try Row.fetchOne(cached: db, sql: "SELECT * FROM products WHERE id = ?", arguments: [id]) else {
                return nil
            }
            return try Self.product(row: row).linking(try Self.couponLinks(db, productId: id)[id] ?? [])
        }
    }

    public func createProduct(_ new: NewProduct, at date: Date) async throws -> Product {
        let product = Product(
            id: new.id ?? Identifier.make("prod"), merchantId: new.merchantId, sku: new.sku, name: new.name,
            description: new.description, price: new.price)
        let now = Timestamp.string(date)
        return try await writer.write { db in
            guard try Bool.fetchOne(cached: db, sql: "SELECT 1 FROM merchants WHERE id = ?", arguments: [new.merchantId]) == true
            else { throw StoreError.merchantNotFound(new.merchantId) }
            try db.executeCached(
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

    public func pricing(productId: String) async throws -> ProductPricing? {
        try await writer.read { db in
            guard
                let row = try Row.fetchOne(
                    cached: db,
                    sql: """
                        SELECT p.id, p.merchant_id, p.price_amount, p.currency, m.issuer_id
                        FROM products p JOIN merchants m ON m.id = p.merchant_id WHERE p.id = ?
                        """,
                    arguments: [productId])
            else { return nil }
            return try StoredRecord.pricing(RowReader(row, table: "products"))
        }
    }

    public func addCoupon(_ coupon: StoredCoupon, at date: Date) async throws {
        let row = StoredRecord.columns(of: coupon, at: date)
        try await writer.write { db in
            guard try Bool.fetchOne(cached: db, sql: "SELECT 1 FROM products WHERE id = ?", arguments: [coupon.productId]) == true
            else { throw StoreError.productNotFound(coupon.productId) }
            try Self.checkNewSerial(db, issuerId: coupon.issuerId, serial: coupon.serial)
            try db.executeCached(
                sql: """
                    INSERT INTO coupons (id, product_id, issuer_id, serial, title, discount_kind, discount_value,
                        discount_currency, png, created_at, robust_id, robust_key_generation, listed, verified_terms,
                        seal_epoch)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    coupon.id, coupon.productId, coupon.issuerId, coupon.serial, coupon.title, row.discountKind,
                    row.discountValue, row.discountCurrency, Data(coupon.png), row.createdAt, coupon.robustId,
                    coupon.robustKeyGeneration, coupon.listed, row.verifiedTerms, row.sealEpoch,
                ])
        }
    }

    public func listedCoupons(productId: String, limit: Int) async throws -> [StoredCoupon] {
        try await writer.read { db in
            try Row.fetchAll(
                cached: db,
                sql: "SELECT * FROM coupons WHERE product_id = ? AND \(StoredRecord.handedOut) ORDER BY seq DESC LIMIT ?",
                arguments: [productId, limit]
            ).map { row throws(StoreError) in try StoredRecord.coupon(RowReader(row, table: "coupons")) }
        }
    }

    /// Coupon links by product id (all products when `productId` is nil), oldest first.
    private static func couponLinks(_ db: Database, productId: String?) throws -> [String: [Product.CouponLink]] {
        let rows =
            if let productId {
                try Row.fetchAll(
                    cached: db, sql: "SELECT id, product_id, title FROM coupons WHERE product_id = ? AND \(StoredRecord.handedOut) ORDER BY seq",
                    arguments: [productId])
            } else {
                try Row.fetchAll(cached: db, sql: "SELECT id, product_id, title FROM coupons WHERE \(StoredRecord.handedOut) ORDER BY seq")
            }
        return try StoredRecord.couponLinks(rows.lazy.map { RowReader($0, table: "coupons") })
    }

    private static func product(row: Row) throws(StoreError) -> Product {
        try StoredRecord.product(RowReader(row, table: "products"))
    }

}
