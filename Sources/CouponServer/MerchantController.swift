import CouponKit
import CouponStore
import Foundation
import Hummingbird

/// The order-receiving terminal's routes: products, coupon uploads, its orders.
struct MerchantController<Repository: CouponRepository> {
    let repository: Repository
    let auth: Authenticator<Repository>
    let verifier: any CouponVerifier
    let clock: @Sendable () -> Date
    let maxBodyBytes: Int

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .post("products", use: createProduct)
            .post("products/:product_id/coupons", use: uploadCoupon)
            .get("orders", use: orders)
    }

    @Sendable func createProduct(_ request: Request, context: AppRequestContext) async throws -> Response {
        let merchantId = try await auth.merchant(request)
        let body = try StrictJSON.decode(NewProductRequest.self, from: try await request.collectBody(limit: maxBodyBytes))
        let sku = body.sku.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !sku.isEmpty, sku.count <= 100 else { throw RequestError.invalidValue("sku is required (at most 100 characters)") }
        guard !name.isEmpty, name.count <= 200 else { throw RequestError.invalidValue("name is required (at most 200 characters)") }
        guard body.description.count <= 4000 else { throw RequestError.invalidValue("description is over 4000 characters") }
        guard let currency = Currency(body.price.currency) else {
            throw RequestError.invalidValue("price.currency must be an ISO 4217 code such as EUR")
        }
        guard body.price.amount >= 0 else { throw RequestError.invalidValue("price.amount must not be negative") }
        let product = try await repository.createProduct(
            NewProduct(
                merchantId: merchantId, sku: sku, name: name, description: body.description,
                price: Money(amount: body.price.amount, currency: currency)),
            at: clock())
        return try Response.json(ProductBody(product), status: .created)
    }

    /// Reveals and verifies the upload before storing it, then applies ``CouponRules``
    /// (untampered, for this product, signed by this merchant's issuer key, an amount in
    /// the product's currency). The title is the
    /// `Coupon-Title` header, else the title in the signed terms.
    @Sendable func uploadCoupon(_ request: Request, context: AppRequestContext) async throws -> Response {
        let merchantId = try await auth.merchant(request)
        let productId = try context.parameters.require("product_id")
        guard let product = try await repository.product(id: productId) else {
            throw CatalogError.productNotFound(productId)
        }
        guard product.merchantId == merchantId, let merchant = try await repository.merchant(id: merchantId) else {
            throw AuthError.forbidden("the product belongs to another merchant")
        }
        let png = Array(try await request.collectBody(limit: maxBodyBytes).readableBytesView)
        let coupon = try verifier.verify(png: png, keys: try await repository.keyRing())
        try CouponRules.check(
            coupon.terms, tampered: coupon.tampered,
            on: CouponRules.Target(productId: product.id, currency: product.price.currency, issuerId: merchant.issuerId),
            use: .upload)
        let header = request.headers[.couponTitle]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let title = header.isEmpty ? coupon.terms.title : String(header.prefix(200))
        let stored = StoredCoupon(
            id: Identifier.make("cpn"), productId: product.id, issuerId: coupon.terms.issuerId,
            serial: coupon.terms.serial, title: title, discount: coupon.terms.discount, png: png)
        try await repository.addCoupon(stored, at: clock())
        return try Response.json(
            CouponUploadBody(couponId: stored.id, serial: stored.serial, discount: DiscountBody(discount: stored.discount)),
            status: .created)
    }

    @Sendable func orders(_ request: Request, context: AppRequestContext) async throws -> Response {
        let merchantId = try await auth.merchant(request)
        return try Response.json(OrderListBody(orders: try await repository.orders(merchantId: merchantId).map(OrderBody.init)))
    }
}
