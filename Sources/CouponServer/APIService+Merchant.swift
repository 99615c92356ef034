import CouponAPI
import CouponKit
import CouponReader
import CouponStore
import Foundation
import OpenAPIRuntime

/// The order-receiving terminal's routes: products, coupon uploads, its orders.
extension APIService {
    func createProduct(_ input: Operations.CreateProduct.Input) async throws -> Operations.CreateProduct.Output {
        let merchantId = try Caller.merchantId()
        let body = switch input.body { case .json(let body): body }
        let sku = body.sku.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        let description = body.description ?? ""
        guard !sku.isEmpty, TextRules.fits(sku, maxBytes: 100) else {
            throw RequestError.invalidValue("sku is required (at most 100 bytes of UTF-8)")
        }
        guard !name.isEmpty, TextRules.fits(name, maxBytes: 200) else {
            throw RequestError.invalidValue("name is required (at most 200 bytes of UTF-8)")
        }
        guard TextRules.fits(description, maxBytes: 2000) else {
            throw RequestError.invalidValue("description is over 2000 bytes of UTF-8")
        }
        guard !TextRules.hasControlCharacters(sku), !TextRules.hasControlCharacters(name),
            !TextRules.hasControlCharacters(description, allowingLineBreaks: true)
        else {
            throw RequestError.invalidValue(
                "sku, name and description must not contain control, format or invisible characters")
        }
        guard let price = Money(body.price) else {
            throw RequestError.invalidValue("price.currency must be an ISO 4217 code such as EUR")
        }
        guard price.amount >= 0 else { throw RequestError.invalidValue("price.amount must not be negative") }
        let product = try await repository.createProduct(
            NewProduct(merchantId: merchantId, sku: sku, name: name, description: description, price: price),
            at: clock())
        return .created(.init(body: .json(.init(product))))
    }

    /// Reveals and verifies the upload before storing it, then applies `CouponRules`
    /// (untampered, for this product, signed by this merchant's issuer key, an amount in
    /// the product's currency). The title is the `Coupon-Title` header, else the title in
    /// the signed terms. The answer says whether the coupon's robust layer names it under
    /// one of the merchant's own robust keys (a coupon without it is stored all the same:
    /// its original works).
    func uploadCoupon(_ input: Operations.UploadCoupon.Input) async throws -> Operations.UploadCoupon.Output {
        let merchantId = try Caller.merchantId()
        let productId = input.path.productId
        guard let product = try await repository.product(id: productId) else {
            throw CatalogError.productNotFound(productId)
        }
        guard product.merchantId == merchantId, let merchant = try await repository.merchant(id: merchantId) else {
            throw AuthError.forbidden("the product belongs to another merchant")
        }
        let png = switch input.body { case .png(let body): try await [UInt8](collecting: body, upTo: .max) }
        // Whether its copies will be recognised: its robust layer carries the v2 identifier
        // under one of this merchant's own readable keys (never the migrated shared key,
        // whose identifiers anyone could compute). The coupon is recorded under that key.
        // The keys are asked first, so that both layers are read from one decode in one
        // pool task; a picture without the robust layer is stored without one, and busy
        // verifiers (503) leave nothing half done.
        let keys = try await repository.robustKeys(merchantId: merchantId).filter { $0.readable && $0.derivation == .v2 }
        let verifier = self.verifier
        let robustKeys = keys.map(\.key)
        let ((verifiedCoupon, match), ring) = try await keyRings.read(on: verifications) { ring in
            try verifier.readOriginal(png, keys: ring, robustKeys: robustKeys)
        }
        var coupon = verifiedCoupon
        coupon.keyRetired = ring.retiredEpochs.contains(coupon.epoch)
        try coupon.checkRules(
            productId: product.id, currency: product.price.currency, issuerId: merchant.issuerId, use: .upload)
        let header = input.headers.couponTitle?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let title = header.isEmpty ? coupon.terms.title : header
        guard TextRules.fits(title, maxBytes: 200) else {
            throw RequestError.invalidValue("the coupon's title is over 200 bytes of UTF-8")
        }
        guard !TextRules.hasControlCharacters(title) else {
            throw RequestError.invalidValue("the coupon's title must not contain control, format or invisible characters")
        }
        var stored = StoredCoupon(
            id: Identifier.make("cpn"), productId: product.id, issuerId: coupon.terms.issuerId,
            serial: coupon.terms.serial, title: title, discount: coupon.terms.discount, png: png)
        stored.listed = input.headers.couponListed ?? true
        stored.verified = VerifiedTerms(terms: coupon.terms, epoch: coupon.epoch)
        if let match {
            let key = keys[match.keyIndex]
            let expected = CouponRobustIdentity.identifier(issuerId: stored.issuerId, serial: stored.serial, key: key.key)
            if match.id == expected {
                (stored.robustId, stored.robustKeyGeneration) = (CouponRobustIdentity.hex(expected), key.generation)
            }
        }
        let robustLayer = stored.robustKeyGeneration != nil
        try await repository.addCoupon(stored, at: clock())
        return .created(
            .init(
                body: .json(
                    .init(
                        couponId: stored.id, serial: stored.serial, discount: .init(stored.discount),
                        robustLayer: robustLayer, personal: coupon.terms.personal ? true : nil))))
    }

    /// Revokes a serial of the merchant's own issuer key, uploaded or not (final; again
    /// answers the first time). A serial that no coupon could carry (`CouponTerms`'s
    /// serial rule) is 404: no coupon of this merchant has it.
    func revokeCoupon(_ input: Operations.RevokeCoupon.Input) async throws -> Operations.RevokeCoupon.Output {
        let serial = input.path.serial
        guard CouponTerms.isValidSerial(serial) else { throw CatalogError.serialNotFound(serial) }
        guard
            let revokedAt = try await repository.revokeCoupon(
                serial: serial, merchantId: try Caller.merchantId(), at: clock())
        else { throw CatalogError.serialNotFound(serial) }
        return .ok(.init(body: .json(.init(serial: serial, revokedAt: revokedAt))))
    }

    func listMerchantOrders(_ input: Operations.ListMerchantOrders.Input) async throws
        -> Operations.ListMerchantOrders.Output
    {
        let orders = try await repository.orders(merchantId: try Caller.merchantId())
        return .ok(.init(body: .json(.init(orders: orders.map(Components.Schemas.Order.init)))))
    }
}
