import CouponAPI
import CouponStore
import OpenAPIRuntime

/// The public catalog: products and the coupon linked to each.
extension APIService {
    func listProducts(_ input: Operations.ListProducts.Input) async throws -> Operations.ListProducts.Output {
        .ok(.init(body: .json(.init(products: try await repository.products().map(Components.Schemas.Product.init)))))
    }

    func getProduct(_ input: Operations.GetProduct.Input) async throws -> Operations.GetProduct.Output {
        let id = input.path.productId
        guard let product = try await repository.product(id: id) else { throw CatalogError.productNotFound(id) }
        return .ok(.init(body: .json(.init(product))))
    }

    /// The newest coupon's PNG, with its id in `Coupon-Id`. An unknown product is also
    /// `coupon_not_found` (the one code the document gives this route).
    func getProductCoupon(_ input: Operations.GetProductCoupon.Input) async throws
        -> Operations.GetProductCoupon.Output
    {
        let id = input.path.productId
        guard let coupon = try await repository.newestCoupon(productId: id) else { throw CatalogError.couponNotFound(id) }
        return .ok(.init(headers: .init(couponId: coupon.id), body: .png(HTTPBody(coupon.png))))
    }
}
