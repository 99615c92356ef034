import CouponAPI
import CouponKit
import CouponReader
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
    /// One picture through `CouponReader`'s policy (the fragile layer first; the robust
    /// layer, under the keys `robustKeys` gives, only when the fragile layer is not
    /// there), decoded once, with one admission to the verification pool:
    /// - a JPEG or WebP can only be a copy: the robust search is admitted
    ///   (`AdmissionLimits/admitRobustSearch(by:)`) and its keys fetched first, then the
    ///   picture is decoded and searched in one pool task;
    /// - a PNG is read as an original in one pool task; only when its fragile layer is gone
    ///   (a degraded PNG) are the keys asked for (so originals cost no key read) and the
    ///   same pixels searched in a second task.
    ///
    /// A fragile layer that is there but refuses (unknown epoch, seal, signature) is the
    /// answer, and so is a picture over the pixel limit; the reader says what a picture
    /// with neither layer is told.
    func read(picture bytes: [UInt8], robustKeys: () async throws -> [MerchantRobustKey]) async throws -> CouponPicture {
        let verifier = self.verifier
        switch ImageFormat(sniffing: bytes) {
        case .jpeg, .webp:
            try await limits.admitRobustSearch(by: Caller.current)
            let keys = try await robustKeys()
            guard !keys.isEmpty else { throw CouponFailure.unreadable(CouponReader.noMark) }
            let robust = keys.map(\.key)
            let reading = try await verifications.run { try verifier.read(bytes, keys: KeyRing(), robustKeys: robust) }
            guard case .copy(let match) = reading else { throw CouponFailure.unreadable(CouponReader.noMark) }
            return .copy(RobustReading(key: keys[match.keyIndex], id: match.id))
        case .png, nil:
            let (reading, ring) = try await keyRings.read(on: verifications) { ring in
                try verifier.read(bytes, keys: ring, robustKeys: nil)
            }
            switch reading {
            case .original(var coupon):
                coupon.keyRetired = ring.retiredEpochs.contains(coupon.epoch)
                return .original(coupon)
            case .copy(let match):
                throw CouponFailure.unreadable(.reason("a copy read without its merchant's keys (robust layer \(match.id))"))
            case .unmarked(let unmarked):
                try await limits.admitRobustSearch(by: Caller.current)
                let keys = try await robustKeys()
                guard !keys.isEmpty else { throw unmarked.fragileFailure }
                let robust = keys.map(\.key)
                let match = try await verifications.run { try verifier.robust(unmarked, keys: robust) }
                return .copy(RobustReading(key: keys[match.keyIndex], id: match.id))
            }
        }
    }

    /// An original's verification: its fragile layer must open (a picture without one is
    /// refused with the fragile layer's reason).
    func verify(png: [UInt8]) async throws -> VerifiedCoupon {
        let verifier = self.verifier
        let (reading, ring) = try await keyRings.read(on: verifications) { ring in
            try verifier.read(png, keys: ring, robustKeys: nil)
        }
        switch reading {
        case .original(var coupon):
            coupon.keyRetired = ring.retiredEpochs.contains(coupon.epoch)
            return coupon
        case .unmarked(let unmarked): throw unmarked.fragileFailure
        case .copy: throw CouponFailure.unreadable("no watermark found")
        }
    }

    /// The terms a stored coupon carries: what its upload verified, vouched for with
    /// today's key ring (no picture is opened), or, for a coupon uploaded before that was
    /// kept, its picture verified again.
    func verified(_ stored: StoredCoupon) async throws -> VerifiedCoupon {
        guard let verified = stored.verified else { return try await verify(png: stored.png) }
        return try await keyRings.vouch(for: verified)
    }

    /// The stored coupon a copy names: recorded under exactly the key it was read with.
    func storedCoupon(named reading: RobustReading) async throws -> StoredCoupon? {
        try await repository.coupon(robustId: reading.id, merchantId: reading.key.merchantId, generation: reading.key.generation)
    }

    /// The coupon an order's picture redeems, the terms that apply and the layer that
    /// named it. For a copy these are the stored coupon's own signed terms (as its upload
    /// verified them, vouched for with today's key ring: `verified(_:)`): nothing is
    /// read from the copy but its identifier, so a price painted on it cannot matter.
    ///
    /// A copy is read only under the readable robust keys of `merchantId`, the ordered
    /// product's merchant, and names only a coupon recorded under the key that read it:
    /// a picture another merchant marked under its own key (or under the old shared key,
    /// with an identifier recorded under none of this merchant's keys) is no coupon for
    /// this product, `coupon_unreadable`, recorded in the member's history like every
    /// refusal.
    ///
    /// `boundTo` is the member a personal copy was issued to: its fragile layer's binding
    /// (verified under the server's keys), or, for a copy its robust layer named, the
    /// member the server recorded the copy for.
    func redeemable(picture bytes: [UInt8], merchantId: String) async throws -> (
        coupon: VerifiedCoupon, layer: CouponLayer, boundTo: String?
    ) {
        let picture = try await read(picture: bytes) {
            try await repository.robustKeys(merchantId: merchantId).filter(\.readable)
        }
        switch picture {
        case .original(let coupon):
            return (coupon, .fragile, coupon.binding?.memberId)
        case .copy(let reading):
            guard let (stored, copy) = try await namedCoupon(reading) else {
                throw CouponFailure.unreadable("the copy's robust layer names no coupon of this product's merchant")
            }
            return (try await verified(stored), .robust, copy?.memberId)
        }
    }

    /// The stored coupon a copy's robust layer names, and, when it names a member's
    /// personal copy, that copy's record.
    func namedCoupon(_ reading: RobustReading) async throws -> (StoredCoupon, IssuedCopy?)? {
        if let stored = try await storedCoupon(named: reading) { return (stored, nil) }
        guard let copy = try await issuedCopy(named: reading), let binding = copy.decodedBinding,
            let stored = try await repository.coupon(issuerId: binding.issuerId, serial: binding.serial),
            stored.id == copy.couponId
        else { return nil }
        return (stored, copy)
    }

    /// `POST /v1/coupons/identify`: which stored coupon a picture is. An original whose
    /// artwork was edited is refused (`coupon_tampered`): the server does not vouch for
    /// it, even though its robust layer might still name the coupon. The discount is
    /// shown to members only. A copy is read under the keys `IdentifyScope` picks.
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
            guard let (found, _) = try await namedCoupon(reading) else { throw CatalogError.unknownPicture }
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
