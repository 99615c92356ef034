import CouponKit
public import CouponStore
public import Foundation
import Logging
import PostgresNIO

extension PostgresStore: CatalogRepository {
    public func products() async throws -> [Product] {
        try await transaction(snapshot: true) { [logger] connection in
            let rows = try await connection.rows("SELECT * FROM products ORDER BY seq", logger: logger)
            let links = try await Self.couponLinks(connection, productId: nil, logger: logger)
            return try rows.map { row in
                let product = try Self.product(row: row)
                return Self.linking(product, links[product.id] ?? [])
            }
        }
    }

    public func product(id: String) async throws -> Product? {
        try await transaction(snapshot: true) { [logger] connection in
            guard let row = try await connection.rows("SELECT * FROM products WHERE id = \(id)", logger: logger).first
            else { return nil }
            let links = try await Self.couponLinks(connection, productId: id, logger: logger)
            return Self.linking(try Self.product(row: row), links[id] ?? [])
        }
    }

    public func createProduct(_ new: NewProduct, at date: Date) async throws -> Product {
        let product = Product(
            id: new.id ?? Identifier.make("prod"), merchantId: new.merchantId, sku: new.sku, name: new.name,
            description: new.description, price: new.price)
        let now = Timestamp.string(date)
        return try await transaction { [logger] connection in
            // FOR KEY SHARE: the merchant cannot vanish before the insert commits.
            guard
                !(try await connection.rows(
                    "SELECT 1 FROM merchants WHERE id = \(new.merchantId) FOR KEY SHARE", logger: logger)
                ).isEmpty
            else { throw StoreError.merchantNotFound(new.merchantId) }
            try await connection.run(
                """
                INSERT INTO products (id, merchant_id, sku, name, description, price_amount, currency, created_at)
                VALUES (\(product.id), \(product.merchantId), \(product.sku), \(product.name), \(product.description),
                    \(product.price.amount), \(product.price.currency.code), \(now))
                """, logger: logger)
            return product
        }
    }

    public func pricing(productId: String) async throws -> ProductPricing? {
        guard
            let row = try await rows(
                """
                SELECT p.id, p.merchant_id, p.price_amount, p.currency, m.issuer_id
                FROM products p JOIN merchants m ON m.id = p.merchant_id WHERE p.id = \(productId)
                """
            ).first
        else { return nil }
        return try StoredRecord.pricing(PostgresRowReader(row, table: "products"))
    }

    /// An (issuer, serial) is uploaded once: the UNIQUE `coupons_issuer_serial` decides,
    /// also between two instances racing with the same coupon.
    public func addCoupon(_ coupon: StoredCoupon, at date: Date) async throws {
        let row = StoredRecord.columns(of: coupon, at: date)
        try await transaction { [logger] connection in
            guard
                !(try await connection.rows(
                    "SELECT 1 FROM products WHERE id = \(coupon.productId)", logger: logger)
                ).isEmpty
            else { throw StoreError.productNotFound(coupon.productId) }
            let inserted = try await connection.rows(
                """
                INSERT INTO coupons (id, product_id, issuer_id, serial, title, discount_kind, discount_value,
                    discount_currency, png, created_at, robust_id, robust_key_generation, listed, verified_terms, seal_epoch)
                VALUES (\(coupon.id), \(coupon.productId), \(coupon.issuerId), \(coupon.serial), \(coupon.title),
                    \(row.discountKind), \(row.discountValue), \(row.discountCurrency), \(Data(coupon.png)),
                    \(row.createdAt), \(coupon.robustId), \(coupon.robustKeyGeneration), \(coupon.listed),
                    \(row.verifiedTerms), \(row.sealEpoch))
                ON CONFLICT (issuer_id, serial) DO NOTHING RETURNING id
                """, logger: logger)
            guard !inserted.isEmpty else { throw StoreError.couponExists(serial: coupon.serial) }
        }
    }

    public func listedCoupons(productId: String, limit: Int) async throws -> [StoredCoupon] {
        try await rows(
            """
            SELECT * FROM coupons WHERE product_id = \(productId) AND \(unescaped: StoredRecord.handedOut)
            ORDER BY seq DESC LIMIT \(Int64(limit))
            """
        ).map { row throws(StoreError) in try StoredRecord.coupon(PostgresRowReader(row, table: "coupons")) }
    }

    /// Coupon links by product id (all products when `productId` is nil), oldest first.
    private static func couponLinks(_ connection: PostgresConnection, productId: String?, logger: Logger) async throws
        -> [String: [Product.CouponLink]]
    {
        let rows =
            if let productId {
                try await connection.rows(
                    """
                    SELECT id, product_id, title FROM coupons WHERE product_id = \(productId) AND \(unescaped: StoredRecord.handedOut)
                    ORDER BY seq
                    """, logger: logger)
            } else {
                try await connection.rows(
                    "SELECT id, product_id, title FROM coupons WHERE \(unescaped: StoredRecord.handedOut) ORDER BY seq", logger: logger)
            }
        return try StoredRecord.couponLinks(rows.lazy.map { PostgresRowReader($0, table: "coupons") })
    }

    private static func linking(_ product: Product, _ coupons: [Product.CouponLink]) -> Product {
        var product = product
        product.coupons = coupons
        return product
    }

    private static func product(row: PostgresRow) throws(StoreError) -> Product {
        try StoredRecord.product(PostgresRowReader(row, table: "products"))
    }

}
