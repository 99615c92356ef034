import CouponKit
import CouponStore
import Foundation
import HTTPTypes
import Logging
import Hummingbird

/// `POST /v1/orders`: members only, `Idempotency-Key` required.
///
/// Order of checks: token (401/403, not recorded: the sender is unknown or not a
/// member); then, all recorded in the member's history when refused: the key, the
/// body, `quantity >= 1`, the idempotency record (replay, or `idempotency_conflict`),
/// the product, and the coupon (opened with the server's key ring outside any database
/// transaction: it is CPU work): tampered, validity at now, product, issuer = the
/// product's merchant, currency. The redemption limits are counted inside the
/// settlement transaction.
///
/// Idempotency follows the IETF Idempotency-Key draft, per member: a request fingerprint
/// (product, quantity, coupon bytes) is stored with the first *successful* response,
/// which later requests with the same key replay (header `Idempotent-Replayed: true`)
/// without settling again; a different fingerprint is `idempotency_conflict`.
/// Refusals are not stored under the key (a refused order changes nothing but the
/// history), so a retry of a refused request is evaluated again.
struct OrdersController<Repository: CouponRepository> {
    let repository: Repository
    let auth: Authenticator<Repository>
    let verifier: any CouponVerifier
    let clock: @Sendable () -> Date
    let maxBodyBytes: Int

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self).post(use: create)
    }

    /// What a refusal's history row can say.
    struct Trail {
        var productId: String?
        var couponSerial: String?
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let memberId = try await auth.member(request)
        var trail = Trail()
        do {
            return try await place(request, memberId: memberId, trail: &trail)
        } catch {
            let problem = Problem(error)
            if (400..<500).contains(problem.status.code) {
                let rejection = Rejection(
                    at: Timestamp.string(clock()), code: problem.code.rawValue, couponSerial: trail.couponSerial,
                    productId: trail.productId)
                do {
                    try await repository.recordRejection(rejection, memberId: memberId)
                } catch {
                    context.logger.error("could not record a rejection: \(String(reflecting: type(of: error)))")
                }
            }
            throw problem
        }
    }

    private func place(_ request: Request, memberId: String, trail: inout Trail) async throws -> Response {
        guard let key = request.headers[.idempotencyKey], Self.isValidKey(key) else {
            throw RequestError.malformed("the Idempotency-Key header is required (1-255 visible ASCII characters)")
        }
        let body = try StrictJSON.decode(OrderRequest.self, from: try await request.collectBody(limit: maxBodyBytes))
        guard body.quantity >= 1 else { throw RequestError.invalidValue("quantity must be at least 1") }
        let fingerprint = Self.fingerprint(body)
        if let record = try await repository.idempotencyRecord(memberId: memberId, key: key) {
            return try Self.replay(record, fingerprint: fingerprint)
        }
        guard let product = try await repository.product(id: body.productId) else {
            throw CatalogError.productNotFound(body.productId)
        }
        trail.productId = product.id
        let listTotal: Money
        do {
            listTotal = try product.price.times(body.quantity)
        } catch {
            throw RequestError.invalidValue("quantity x price is too large")
        }

        var discount = Money(amount: 0, currency: listTotal.currency)
        var redemption: Settlement.Redemption?
        if let encoded = body.couponPNG {
            guard let png = Data(base64Encoded: encoded) else {
                throw RequestError.malformed("coupon_png must be a base64 PNG")
            }
            let coupon = try verifier.verify(png: Array(png), keys: try await repository.keyRing())
            trail.couponSerial = coupon.terms.serial
            try CouponRules.check(
                coupon.terms, tampered: coupon.tampered, on: try await ruleTarget(product),
                use: .order(at: Int64(clock().timeIntervalSince1970.rounded(.down))))
            do {
                discount = try coupon.terms.discount.apply(to: listTotal)
            } catch {
                throw RequestError.invalidValue("the discount cannot be computed for this amount")
            }
            redemption = Settlement.Redemption(
                issuerId: coupon.terms.issuerId, serial: coupon.terms.serial, maxUsesTotal: coupon.terms.maxUsesTotal,
                maxUsesPerMember: coupon.terms.maxUsesPerMember)
        }

        let order = Order(
            id: Identifier.make("ord"), memberId: memberId, productId: product.id, merchantId: product.merchantId,
            quantity: body.quantity, listTotal: listTotal, discount: discount, total: try listTotal.minus(discount),
            couponSerial: redemption?.serial, paymentId: Identifier.make("pay"), transactionId: Identifier.make("txn"),
            createdAt: Timestamp.string(clock()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let response = IdempotencyRecord(
            fingerprint: fingerprint, status: 201, body: Array(try encoder.encode(OrderBody(order))))
        switch try await repository.settle(
            Settlement(order: order, redemption: redemption, idempotencyKey: key, response: response))
        {
        case .settled:
            return Response.json(bytes: response.body, status: .created)
        case .alreadyRecorded(let record):
            return try Self.replay(record, fingerprint: fingerprint)
        }
    }

    /// The product as the rule book sees it; a product whose merchant is gone matches no issuer.
    private func ruleTarget(_ product: Product) async throws -> CouponRules.Target {
        let issuerId = try await repository.merchant(id: product.merchantId)?.issuerId ?? ""
        return CouponRules.Target(productId: product.id, currency: product.price.currency, issuerId: issuerId)
    }

    private static func replay(_ record: IdempotencyRecord, fingerprint: String) throws -> Response {
        guard record.fingerprint == fingerprint else { throw IdempotencyError.conflict }
        var response = Response.json(bytes: record.body, status: HTTPResponse.Status(code: record.status))
        response.headers[.idempotentReplayed] = "true"
        return response
    }

    static func isValidKey(_ key: String) -> Bool {
        (1...255).contains(key.utf8.count) && key.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// Identifies the request: product, quantity and the coupon bytes as sent.
    static func fingerprint(_ body: OrderRequest) -> String {
        SHA256Hex.of(Array("\(body.productId)\n\(body.quantity)\n".utf8) + Array((body.couponPNG ?? "-").utf8))
    }
}
