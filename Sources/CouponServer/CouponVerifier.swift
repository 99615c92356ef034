public import CouponKit
public import PNGCodec

/// What the order and upload rules need from a coupon that opened and verified.
public struct VerifiedCoupon: Sendable {
    public var terms: CouponTerms
    public var epoch: UInt32
    /// The visible artwork differs from what the issuer signed.
    public var tampered: Bool

    public init(terms: CouponTerms, epoch: UInt32, tampered: Bool) {
        self.terms = terms
        self.epoch = epoch
        self.tampered = tampered
    }
}

/// Opens and verifies coupon PNGs. The server uses ``WatermarkCouponVerifier``; tests
/// may inject another to exercise the order rules without images.
public protocol CouponVerifier: Sendable {
    func verify(png: [UInt8], keys: KeyRing) throws(CouponFailure) -> VerifiedCoupon
}

/// The real pipeline: the PNG header is checked against the pixel limit first (so a
/// header claiming 100000x100000 is refused before any pixel memory exists), then
/// ``CouponRevealer`` extracts, opens and verifies.
public struct WatermarkCouponVerifier: CouponVerifier {
    public var limits: DecodeLimits

    public init(limits: DecodeLimits = .default) {
        self.limits = limits
    }

    public func verify(png: [UInt8], keys: KeyRing) throws(CouponFailure) -> VerifiedCoupon {
        let header: PNGHeader
        do {
            header = try PNGDecoder(limits: limits).header(of: png)
        } catch {
            throw .unreadable(error.description)
        }
        guard header.width > 0, header.height > 0, header.width <= limits.maxPixels / header.height else {
            throw .unreadable("image is \(header.width)x\(header.height) pixels, over the limit of \(limits.maxPixels)")
        }
        let revealed = try CouponRevealer(keys: keys, limits: limits).reveal(png: png)
        return VerifiedCoupon(terms: revealed.terms, epoch: revealed.epoch, tampered: revealed.tampered)
    }
}
