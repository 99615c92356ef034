import CouponStore
import HTTPTypes
import Hummingbird
import NIOCore

/// The public catalog: products and the coupon linked to each.
struct CatalogController<Repository: CatalogRepository> {
    let repository: Repository

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .get(use: list)
            .get(":product_id", use: show)
            .get(":product_id/coupon", use: coupon)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try Response.json(ProductListBody(products: try await repository.products().map(ProductBody.init)))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("product_id")
        guard let product = try await repository.product(id: id) else { throw CatalogError.productNotFound(id) }
        return try Response.json(ProductBody(product))
    }

    /// The newest coupon's PNG, with its id in `Coupon-Id`. An unknown product is also
    /// `coupon_not_found` (the one code openapi.yaml gives this route).
    @Sendable func coupon(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("product_id")
        guard let coupon = try await repository.newestCoupon(productId: id) else { throw CatalogError.couponNotFound(id) }
        var headers = HTTPFields()
        headers[.contentType] = "image/png"
        headers[.couponId] = coupon.id
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: coupon.png)))
    }
}

extension HTTPField.Name {
    static let couponId = HTTPField.Name("Coupon-Id")!
    static let couponTitle = HTTPField.Name("Coupon-Title")!
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}
