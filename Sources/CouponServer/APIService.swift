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
/// `Caller`, set by `Authenticator`.
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
    /// The epochs of the coupons the catalog hands out.
    let catalogEpochs = CatalogEpochs()
    /// Personal coupons' originals, opened once (`personalCopy(of:merchantId:memberId:)`).
    let personalOriginals = PersonalOriginals()
    /// Members' copies made most recently, for a member who asks again.
    let finishedCopies = FinishedCopies()
    /// Robust-layer searches per account (`AdmissionLimits`).
    let limits: AdmissionLimits<Repository>

    init(
        repository: Repository, verifier: any CouponVerifier, verifications: VerificationPool,
        clock: @escaping @Sendable () -> Date, metrics: ServerMetrics, healthTimeout: Duration,
        limits: AdmissionLimits<Repository>
    ) {
        self.limits = limits
        (self.repository, self.verifier, self.verifications, self.clock) = (repository, verifier, verifications, clock)
        keyRings = KeyRingCache(repository: repository)
        pricing = PricingCache(repository: repository)
        self.metrics = metrics
        health = DatabaseHealth(repository: repository, timeout: healthTimeout)
    }

    /// 200 when the database answers `DatabaseHealth` in time, else 503
    /// `database_unavailable`.
    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        try await health.check()
        return .ok(.init(body: .json(.init(status: .ok, database: repository.databaseKind))))
    }

    /// Every metric of ``ServerMetrics``, in the Prometheus text format.
    func getMetrics(_ input: Operations.GetMetrics.Input) async throws -> Operations.GetMetrics.Output {
        if let leased = repository.leasedConnections { metrics.databaseConnections(leased: leased) }
        return .ok(.init(body: .plainText(HTTPBody(metrics.exposition()))))
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

    /// The newest coupon the catalog may hand out, with its id in `Coupon-Id`: listed, not
    /// revoked, and sealed under an epoch that is not retired (orders would refuse it).
    /// Of the newest `catalogCandidates` listed and unrevoked ones, the first that
    /// passes; none is 404 `no_coupon`. An unknown product is `coupon_not_found`.
    func getProductCoupon(_ input: Operations.GetProductCoupon.Input) async throws
        -> Operations.GetProductCoupon.Output
    {
        let id = input.path.productId
        let candidates = try await repository.listedCoupons(productId: id, limit: Self.catalogCandidates)
        let retired = try await keyRings.current().retiredEpochs
        for coupon in candidates {
            let epoch: UInt32
            if let verified = coupon.verified {
                epoch = verified.epoch
            } else if let known = catalogEpochs.epoch(of: coupon.id) {
                epoch = known
            } else {
                // A stored coupon that no longer verifies (its issuer's key gone) is not
                // handed out; a busy verifier pool is the caller's 503.
                let verified: VerifiedCoupon
                do {
                    verified = try await verify(png: coupon.png)
                } catch is CouponFailure {
                    continue
                }
                catalogEpochs.remember(verified.epoch, of: coupon.id)
                epoch = verified.epoch
            }
            if !retired.contains(epoch) {
                guard coupon.verified?.terms.personal == true else {
                    return .ok(.init(headers: .init(couponId: coupon.id), body: .png(HTTPBody(coupon.png))))
                }
                // A personal coupon: only a signed-in member's own copy is handed out.
                guard let caller = Caller.current else { throw AuthError.unauthenticated }
                guard case .member(let memberId) = caller else { throw AuthError.notAMember }
                guard let product = try await pricing.pricing(productId: id) else { throw CatalogError.productNotFound(id) }
                let copy = try await personalCopy(of: coupon, merchantId: product.merchantId, memberId: memberId)
                return .ok(
                    .init(headers: .init(couponId: coupon.id, couponCopyId: copy.copyId), body: .png(HTTPBody(copy.png))))
            }
        }
        guard candidates.isEmpty, try await pricing.pricing(productId: id) == nil else { throw CatalogError.noCoupon(id) }
        throw CatalogError.couponNotFound(id)
    }

    /// How many of a product's newest handed-out coupons the catalog considers.
    static var catalogCandidates: Int { 8 }
}
