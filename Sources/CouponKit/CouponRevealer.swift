import Foundation
public import ImageCore
import PNGCodec
import Watermark

/// Opens coupon PNGs with the reveal keys and issuer keys of a ``KeyRing``: decode
/// (size checked before allocating; coupons take the PNG decoder's fast path), read the
/// watermark's public header once, pick the reveal key of its epoch, extract the seal while
/// checking the tamper grid and digesting the artwork in the same pass, open the seal once,
/// verify the issuer's signature, then compare the artwork with the signed digest. It draws
/// nothing: the revealed picture is the CLI's business.
public struct CouponRevealer: Sendable {
    public let keys: KeyRing
    public var limits: DecodeLimits

    public init(keys: KeyRing, limits: DecodeLimits = .default) {
        self.keys = keys
        self.limits = limits
    }

    public func reveal(png: [UInt8]) throws(CouponFailure) -> RevealedCoupon {
        try reveal(image: try decode(png: png))
    }

    /// The coupon's pixels, as ``reveal(image:)`` reads them. Coupons are RGB files:
    /// decoded straight to RGB (no RGBA pass); a picture with real transparency keeps RGBA.
    /// Throws ``CouponFailure/unreadable(_:)`` with the PNG decoder's own error.
    public func decode(png: [UInt8]) throws(CouponFailure) -> PixelBuffer {
        let decoder = PNGDecoder(limits: limits)
        do {
            return try decoder.decode(png, as: .rgb8).image
        } catch .hasTransparency {
            do {
                return try decoder.decode(png).image
            } catch {
                throw Self.unreadable(error)
            }
        } catch {
            throw Self.unreadable(error)
        }
    }

    /// The PNG decoder's refusal as a coupon failure: over the limits is
    /// ``CouponFailure/Unreadable/tooLarge(_:)`` as in every format.
    private static func unreadable(_ error: PNGError) -> CouponFailure {
        if case .tooLarge(let width, let height, let limit) = error {
            return .unreadable(.tooLarge(PictureTooLarge(width: width, height: height, limit: limit)))
        }
        return .unreadable(.png(error))
    }

    /// Opens the fragile layer of decoded pixels (any picture: a PNG as decoded, or the
    /// pixels of any other format, which will not hold it).
    public func reveal(image: PixelBuffer) throws(CouponFailure) -> RevealedCoupon {
        // One header read, one keyed verification (payload, tamper grid and artwork digest
        // in one pass over the pixels), one seal opening; nothing is drawn.
        let marked: MarkedImage
        do {
            marked = try MarkedImage(image)
        } catch {
            throw .unreadable("no watermark found")
        }
        let header = marked.header
        guard let revealKey = keys.revealKey(epoch: header.keyHint) else { throw .unknownEpoch(header.keyHint) }

        let verified: MarkedImage.Verification
        do {
            verified = try marked.verify(
                key: try WatermarkKeyCache.shared.key(for: revealKey), maxPayloadLength: CopyPayload.maxLength)
        } catch .wrongKey {
            throw .badSeal
        } catch .payloadUnrecoverable {
            throw .unreadable("the watermark is damaged beyond repair")
        } catch {
            throw .unreadable(.watermark(error))
        }

        let sealed: [UInt8]
        let binding: CopyBinding?
        do {
            (sealed, binding) = try CopyPayload.split(verified.payload.payload)
        } catch {
            throw .badSignature("the copy's binding does not decode")
        }
        let terms: CouponTerms
        do {
            terms = try SealedToken.open(sealed, keys: keys)
        } catch {
            switch error {
            case .notASeal, .unsupportedVersion: throw .unreadable("the watermark does not hold a coupon")
            case .unknownEpoch(let epoch): throw .unknownEpoch(epoch)
            case .badSeal: throw .badSeal
            case .unknownIssuer(let id): throw .badSignature("unknown issuer \(id)")
            case .badSignature: throw .badSignature("the signature does not verify")
            case .malformedTerms: throw .badSignature("the signed terms do not decode")
            }
        }

        // A personal copy's pixels differ from the issuer's by its robust layer: the binding
        // the server signed names the issuer's digest and the copy's.
        var bindingVerification: CopyBinding.Verification?
        if let binding {
            let verification = binding.verify(with: keys.serverKeys)
            guard binding.belongs(to: terms), verification != .invalid else {
                throw .badSignature("the copy's binding to its member does not verify")
            }
            bindingVerification = verification
        }
        let tamper = verified.tamper
        let digest = binding?.copyDigest ?? terms.artworkDigest
        var revealed = RevealedCoupon(
            terms: terms, epoch: header.keyHint, tampered: verified.artworkDigest != digest || !tamper.isIntact,
            tamperedAreas: tamper.tamperedBlocks, tamperedFraction: tamper.tamperedFraction, image: image)
        revealed.binding = binding
        revealed.bindingVerification = bindingVerification
        return revealed
    }
}
