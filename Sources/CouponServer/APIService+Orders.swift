import CouponAPI
import CouponKit
import CouponStore
import Foundation

/// `POST /v1/orders`: members only (`Authenticator`), `Idempotency-Key` required.
///
/// Order of checks: token (401/403, not recorded: the sender is unknown or not a
/// member); then, all recorded in the member's history when refused (`OrderRefusals`):
/// the key, the body, `quantity` 1 to 10,000, the idempotency record (replay, or
/// `idempotency_conflict`), the product (its pricing read once, `PricingCache`), and
/// the coupon (opened with the server's key ring on the verification pool, outside any
/// database transaction: it is CPU work; `coupon_png` or `coupon_image`, the original or
/// a copy, read only under the robust keys of the product's merchant,
/// `redeemable(picture:merchantId:)`): retired epoch, tampered, a copy of a fragile-only
/// coupon, a personal coupon's copy bound to another member or to none, validity at now,
/// product, issuer = the product's merchant, currency. A revoked
/// serial and the redemption limits are checked inside the settlement transaction.
///
/// Idempotency follows the IETF Idempotency-Key draft, per member: a request fingerprint
/// (product, quantity, coupon bytes) is stored with the first *successful* response,
/// which later requests with the same key replay (header `Idempotent-Replayed: true`)
/// without settling again; a different fingerprint is `idempotency_conflict`.
/// Refusals are not stored under the key (a refused order changes nothing but the
/// history), so a retry of a refused request is evaluated again.
extension APIService {
    func createOrder(_ input: Operations.CreateOrder.Input) async throws -> Operations.CreateOrder.Output {
        let memberId = try Caller.memberId()
        var trail = RefusedOrder.Trail()
        do {
            let body = switch input.body { case .json(let body): body }
            return try await place(body, key: input.headers.idempotencyKey, memberId: memberId, trail: &trail)
        } catch {
            throw RefusedOrder(underlying: error, trail: trail)
        }
    }

    private func place(
        _ body: Components.Schemas.OrderRequest, key: String, memberId: String, trail: inout RefusedOrder.Trail
    ) async throws -> Operations.CreateOrder.Output {
        guard Self.isValidKey(key) else {
            throw RequestError.malformed("the Idempotency-Key header is required (1-255 visible ASCII characters)")
        }
        guard (1...Self.maxQuantity).contains(body.quantity) else {
            throw RequestError.invalidValue("quantity must be 1 to \(Self.maxQuantity)")
        }
        let picture = try Self.couponPicture(body)
        let fingerprint = Self.fingerprint(productId: body.productId, quantity: body.quantity, picture: picture)
        if let record = try await repository.idempotencyRecord(memberId: memberId, key: key) {
            return try Self.replay(record, fingerprint: fingerprint, legacy: Self.legacyFingerprint(body))
        }
        guard let product = try await pricing.pricing(productId: body.productId) else {
            throw CatalogError.productNotFound(body.productId)
        }
        trail.productId = product.productId
        let listTotal: Money
        do {
            listTotal = try product.price.times(body.quantity)
        } catch {
            throw RequestError.invalidValue("quantity x price is too large")
        }

        var discount = Money(amount: 0, currency: listTotal.currency)
        var redemption: Settlement.Redemption?
        var layer: CouponLayer?
        if let picture {
            let (coupon, pictureLayer, boundTo) = try await redeemable(picture: picture, merchantId: product.merchantId)
            trail.couponSerial = coupon.terms.serial
            try coupon.checkRules(
                productId: product.productId, currency: product.price.currency, issuerId: product.issuerId,
                use: .order(at: Int64(clock().timeIntervalSince1970.rounded(.down))), layer: pictureLayer,
                boundTo: boundTo, orderedBy: memberId)
            layer = pictureLayer
            do {
                discount = try coupon.terms.discount.apply(to: listTotal)
            } catch {
                throw RequestError.invalidValue("the discount cannot be computed for this amount")
            }
            redemption = Settlement.Redemption(
                issuerId: coupon.terms.issuerId, serial: coupon.terms.serial, maxUsesTotal: coupon.terms.maxUsesTotal,
                maxUsesPerMember: coupon.terms.maxUsesPerMember, discount: coupon.terms.discount)
        }

        let order = Order(
            id: Identifier.make("ord"), memberId: memberId, productId: product.productId, merchantId: product.merchantId,
            quantity: body.quantity, listTotal: listTotal, discount: discount, total: try listTotal.minus(discount),
            couponSerial: redemption?.serial, paymentId: Identifier.make("pay"), transactionId: Identifier.make("txn"),
            createdAt: Timestamp.string(clock()), couponLayer: layer)
        let wire = Components.Schemas.Order(order)
        let response = IdempotencyRecord(
            fingerprint: fingerprint, status: 201, body: Array(try WireFormat.encoder.encode(wire)))
        switch try await repository.settle(
            Settlement(order: order, redemption: redemption, idempotencyKey: key, response: response))
        {
        case .settled:
            metrics.orderSettled()
            return .created(.init(body: .json(wire)))
        case .alreadyRecorded(let record):
            return try Self.replay(record, fingerprint: fingerprint, legacy: Self.legacyFingerprint(body))
        }
    }

    /// The coupon picture's bytes: `coupon_png` or `coupon_image` (not both), base64.
    private static func couponPicture(_ body: Components.Schemas.OrderRequest) throws -> [UInt8]? {
        switch (body.couponPng, body.couponImage) {
        case (nil, nil): return nil
        case (.some, .some): throw RequestError.malformed("send coupon_png or coupon_image, not both")
        case (let png?, nil):
            guard let bytes = Data(base64Encoded: png) else { throw RequestError.malformed("coupon_png must be a base64 PNG") }
            return Array(bytes)
        case (nil, let image?):
            guard let bytes = Data(base64Encoded: image) else {
                throw RequestError.malformed("coupon_image must be a base64 PNG, JPEG or WebP")
            }
            return Array(bytes)
        }
    }

    /// The stored answer (only settled orders are stored, as 201), when the record's
    /// fingerprint is this request's; `legacy` is computed only when it is not.
    private static func replay(_ record: IdempotencyRecord, fingerprint: String, legacy: @autoclosure () -> String)
        throws -> Operations.CreateOrder.Output
    {
        guard record.fingerprint == fingerprint || record.fingerprint == legacy() else { throw IdempotencyError.conflict }
        let order = try WireFormat.decoder.decode(Components.Schemas.Order.self, from: Data(record.body))
        return .created(.init(headers: .init(idempotentReplayed: ._true), body: .json(order)))
    }

    /// The most units one order may ask for: a shop's basket, not an integer overflow probe.
    static var maxQuantity: Int { 10_000 }

    static func isValidKey(_ key: String) -> Bool {
        (1...255).contains(key.utf8.count) && key.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// Identifies the request: product, quantity and the coupon picture, SHA-256 over the
    /// picture's decoded bytes (about three quarters of its base64 text, which every order
    /// also decodes: fewer bytes hashed per order). Equal requests have equal fingerprints;
    /// any other product, quantity or picture a different one. The product id is
    /// length-prefixed, and "no coupon" and "a coupon" are marked apart, so no two distinct
    /// requests hash the same bytes. A picture counts by its bytes, whichever field brought
    /// it and however its base64 was written: the same picture is the same order.
    static func fingerprint(productId: String, quantity: Int, picture: [UInt8]?) -> String {
        SHA256Hex.of(
            utf8: "v2\n\(productId.utf8.count):\(productId)\n\(quantity)\n" + (picture == nil ? "-" : "+"),
            then: picture ?? [])
    }

    /// The fingerprint records stored before `fingerprint(productId:quantity:picture:)`
    /// carry (product, quantity and the base64 text as sent): a retry of such an order
    /// still replays it. Computed only when a stored record's fingerprint differs.
    static func legacyFingerprint(_ body: Components.Schemas.OrderRequest) -> String {
        SHA256Hex.of(utf8: ["\(body.productId)\n\(body.quantity)\n", body.couponPng ?? body.couponImage ?? "-"])
    }
}
