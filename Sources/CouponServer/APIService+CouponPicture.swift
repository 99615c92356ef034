import CouponAPI
import CouponKit
import CouponStore
import Foundation
import ImageFormats
import RobustMark
import OpenAPIRuntime

/// What a coupon picture turned out to be.
enum CouponPicture: Sendable {
    /// The original: its fragile layer opened and verified (tampered or not).
    case original(VerifiedCoupon)
    /// A copy whose fragile layer is gone; its robust layer carries an identifier under
    /// one merchant's key.
    case copy(RobustReading)
}

/// Reading coupon pictures, originals and copies, for orders and `POST /v1/coupons/identify`.
extension APIService {
    /// The fragile layer first, exactly as before the robust layer existed. Only when it
    /// is unreadable (not a PNG, no watermark, a damaged one: the picture was recompressed,
    /// resized, cropped or screenshotted) is the robust layer read, under the keys
    /// `robustKeys` gives (asked only then, so originals cost no key read). A fragile layer
    /// that is there but refuses (unknown epoch, seal, signature) is the answer, and so is
    /// a picture over the pixel limit.
    ///
    /// When neither layer is found, a PNG gets the fragile layer's own reason, which is
    /// what PNG coupons have always answered; a JPEG or WebP gets the robust layer's. Bytes
    /// of no picture format, and a PNG that does not decode, are not given to the robust
    /// layer at all.
    ///
    /// A picture neither layer could hold is refused from its header, before a pixel is
    /// decoded: narrower than any original coupon (``CouponShape/smallestSide``) and out
    /// of the robust layer's range (`RobustMark.canCarry`), such as a 16x250000 strip.
    func read(picture bytes: [UInt8], robustKeys: () async throws -> [MerchantRobustKey]) async throws -> CouponPicture {
        if let size = try? ImageDecoder().size(of: bytes), min(size.width, size.height) < CouponShape.smallestSide,
            !RobustMark.canCarry(width: size.width, height: size.height)
        {
            throw CouponFailure.unreadable(
                .reason(
                    "no coupon is a \(size.width)x\(size.height) picture: an original is at least \(CouponShape.smallestSide) pixels across, and a copy's robust layer reads pictures of at most \(RobustMark.maxAspectRatio):1"
                ))
        }
        let fragileFailure: CouponFailure
        do {
            return .original(try await verify(png: bytes))
        } catch let failure as CouponFailure {
            guard failure.reasonCode == .couponUnreadable else { throw failure }
            fragileFailure = failure
        }
        let format = ImageFormat(sniffing: bytes)
        guard let format else { throw fragileFailure }
        // A PNG that libpng could not decode will not decode for the robust layer either.
        if format == .png, case .unreadable(.png) = fragileFailure { throw fragileFailure }
        try await limits.admitRobustSearch(by: Caller.current)
        do {
            return .copy(try await robust.identifier(in: bytes, keys: try await robustKeys(), on: verifications))
        } catch let failure as CouponFailure where format == .png {
            throw failure.reasonCode == .couponTooLarge ? failure : fragileFailure
        }
    }

    /// The stored coupon a copy names: recorded under exactly the key it was read with.
    func storedCoupon(named reading: RobustReading) async throws -> StoredCoupon? {
        try await repository.coupon(robustId: reading.id, merchantId: reading.key.merchantId, generation: reading.key.generation)
    }

    /// The coupon an order's picture redeems, the terms that apply and the layer that
    /// named it. For a copy these are the stored coupon's own signed terms (its uploaded
    /// original, verified again with today's key ring): nothing is read from the copy but
    /// its identifier, so a price painted on it cannot matter.
    ///
    /// A copy is read only under the readable robust keys of `merchantId`, the ordered
    /// product's merchant, and names only a coupon recorded under the key that read it:
    /// a picture another merchant marked under its own key (or under the old shared key,
    /// with an identifier recorded under none of this merchant's keys) is no coupon for
    /// this product, `coupon_unreadable`, recorded in the member's history like every
    /// refusal.
    func redeemable(picture bytes: [UInt8], merchantId: String) async throws -> (coupon: VerifiedCoupon, layer: CouponLayer) {
        let picture = try await read(picture: bytes) {
            try await repository.robustKeys(merchantId: merchantId).filter(\.readable)
        }
        switch picture {
        case .original(let coupon):
            return (coupon, .fragile)
        case .copy(let reading):
            guard let stored = try await storedCoupon(named: reading) else {
                throw CouponFailure.unreadable("the copy's robust layer names no coupon of this product's merchant")
            }
            return (try await verify(png: stored.png), .robust)
        }
    }

    /// `POST /v1/coupons/identify`: which stored coupon a picture is. An original whose
    /// artwork was edited is refused (`coupon_tampered`): the server does not vouch for
    /// it, even though its robust layer might still name the coupon. The discount is
    /// shown to members only. A copy is read under the keys ``IdentifyScope`` picks.
    func identifyCoupon(_ input: Operations.IdentifyCoupon.Input) async throws -> Operations.IdentifyCoupon.Output {
        let body: HTTPBody =
            switch input.body {
            case .png(let body), .jpeg(let body), .imageWebp(let body): body
            }
        let bytes = try await [UInt8](collecting: body, upTo: .max)
        let stored: StoredCoupon
        let layer: CouponLayer
        let productId = input.query.productId
        switch try await read(picture: bytes, robustKeys: { try await identifyKeys(productId: productId) }) {
        case .original(let coupon):
            guard !coupon.tampered else { throw CouponRuleError.tampered }
            let terms = coupon.terms
            guard let found = try await repository.coupon(issuerId: terms.issuerId, serial: terms.serial) else {
                throw CatalogError.unknownPicture
            }
            (stored, layer) = (found, .fragile)
        case .copy(let reading):
            guard let found = try await storedCoupon(named: reading) else { throw CatalogError.unknownPicture }
            (stored, layer) = (found, .robust)
        }
        let isMember = if case .member = Caller.current { true } else { false }
        return .ok(
            .init(
                body: .json(
                    .init(
                        couponId: stored.id, serial: stored.serial, productId: stored.productId, title: stored.title,
                        layer: layer == .fragile ? .fragile : .robust,
                        discount: isMember ? .init(stored.discount) : nil))))
    }
}
