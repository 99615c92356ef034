import CouponAPI
import CouponKit
import CouponStore
import Foundation
import OpenAPIRuntime
import PNGCodec

/// The handlers of every operation of `openapi.yaml` (the generated `APIProtocol`): the
/// system and catalog routes here, one extension per other area (members, orders,
/// merchant). They return the documented success; every refusal is thrown as a domain
/// error and becomes problem+json in ``Problem/init(_:)``. Who is calling comes from
/// ``Caller``, set by ``Authenticator``.
struct APIService<Repository: CouponRepository>: APIProtocol {
    let repository: Repository
    let verifier: any CouponVerifier
    let clock: @Sendable () -> Date
    /// The key ring orders and uploads verify with (read again every second at most).
    let keyRings: KeyRingCache<Repository>
    /// Where coupons are verified: bounded, off the request threads.
    let verifications: VerificationPool
    /// Products' price, merchant and issuer, which never change, read once.
    let pricing: PricingCache<Repository>
    /// What `/metrics` reports; orders count themselves here.
    let metrics: ServerMetrics
    /// `/healthz`'s bounded check of the database.
    let health: DatabaseHealth<Repository>
    /// Reads the robust layer of copies whose fragile layer is gone.
    let robust: RobustReader

    init(
        repository: Repository, verifier: any CouponVerifier, verifications: VerificationPool,
        clock: @escaping @Sendable () -> Date, metrics: ServerMetrics, healthTimeout: Duration,
        decodeLimits: DecodeLimits
    ) {
        (self.repository, self.verifier, self.verifications, self.clock) = (repository, verifier, verifications, clock)
        robust = RobustReader(limits: decodeLimits)
        keyRings = KeyRingCache(repository: repository)
        pricing = PricingCache(repository: repository)
        self.metrics = metrics
        health = DatabaseHealth(repository: repository, timeout: healthTimeout)
    }

    /// Opens and verifies a coupon PNG with the server's keys, on the verification pool.
    func verify(png: [UInt8]) async throws -> VerifiedCoupon {
        try await keyRings.verify(png: png, with: verifier, on: verifications)
    }

    /// 200 when the database answers ``DatabaseHealth`` in time, else 503
    /// `database_unavailable`.
    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        try await health.check()
        return .ok(.init(body: .json(.init(status: .ok, database: repository.databaseKind))))
    }

    /// Every metric of ``ServerMetrics``, in the Prometheus text format.
    func getMetrics(_ input: Operations.GetMetrics.Input) async throws -> Operations.GetMetrics.Output {
        .ok(.init(body: .plainText(HTTPBody(metrics.exposition()))))
    }

    /// The contract itself, the same bytes the client and server were generated from.
    func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input) async throws
        -> Operations.GetOpenAPIDocument.Output
    {
        .ok(.init(body: .yaml(HTTPBody(OpenAPIDocument.bytes))))
    }
}

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
