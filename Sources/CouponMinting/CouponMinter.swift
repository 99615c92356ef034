public import CouponArt
public import CouponKit
import Foundation
public import ImageCore
public import PNGCodec
public import RobustMark
public import Watermark

/// Makes coupon PNGs from terms: render the artwork (and, with a ``robustKey``, add the
/// robust layer), sign the terms together with the
/// artwork's digest, seal them with the reveal key, hide the sealed bytes in the pixels
/// (keyed watermark, reveal-key epoch in its public header), encode the PNG.
///
/// ```swift
/// let minter = CouponMinter(issuer: issuer, revealKey: reveal)
/// let coupon = try minter.mint(terms)              // coupon.png: [UInt8]
/// let revealed = try CouponRevealer(keys: ring).reveal(png: coupon.png)
/// ```
public struct CouponMinter: Sendable {
    public let issuer: IssuerKey
    public let revealKey: RevealKey
    public var encoder: PNGEncoder
    /// A merchant's own background (`--art`), scaled to the coupon size.
    public var background: PixelBuffer?
    /// When set (the merchant's own robust key, `robust.key` of the profile), the artwork
    /// gets the robust layer before anything is signed: the identifier is
    /// ``CouponRobustIdentity``'s ``CouponRobustIdentity/Derivation/v2``, an HMAC under
    /// this key, so no one without the key can make another picture name the coupon. The
    /// signed artwork digest covers the layer, and the fragile layer written last proves
    /// both untouched. A personal coupon (``CouponKit/CouponTerms/personal``) gets no robust
    /// layer here: each member's copy carries its own (``CouponPersonaliser``).
    public var robustKey: RobustKey?
    /// The identifier's derivation: always v2 for coupons minted now. Tests set v1 to make
    /// the coupons of a database from before per-merchant keys, which is why it is not public.
    package var robustDerivation = CouponRobustIdentity.Derivation.v2
    /// Coupon size in pixels.
    public var width = 800
    public var height = 400

    /// How coupons are written by default: zlib level 6, no row filter. On a watermarked
    /// coupon the filters only smear the watermark's low-bit noise into more bytes:
    /// measured at 800x400, `none` gave the smallest file (34.6 KB against 41.2 KB
    /// adaptive), the fastest encode (1.8 against 4.4 ms) and the fastest decode (0.9
    /// against 2.6 ms, which the server pays on every order).
    public static let defaultEncoder = PNGEncoder(level: 6, filter: .none)

    public init(
        issuer: IssuerKey, revealKey: RevealKey, encoder: PNGEncoder = CouponMinter.defaultEncoder,
        background: PixelBuffer? = nil
    ) {
        self.issuer = issuer
        self.revealKey = revealKey
        self.encoder = encoder
        self.background = background
    }

    /// A minted coupon: the terms as signed (issuer id and artwork digest filled in) and the PNG.
    public struct Minted: Sendable {
        public let terms: CouponTerms
        public let png: [UInt8]
    }

    /// Why one coupon was not minted: its terms, or the step that failed with that
    /// step's own typed error.
    public enum MintError: Error, Sendable, CustomStringConvertible {
        case invalidTerms(String)
        /// Fonts could not be loaded or the artwork not drawn.
        case artwork(ArtError)
        /// The watermark key could not be derived or the sealed terms did not fit.
        case watermark(WatermarkError)
        /// Signing or sealing the terms failed (swift-crypto's error).
        case sealing(any Error)
        case encoding(PNGError)

        public var description: String {
            switch self {
            case .invalidTerms(let why): "invalid terms: \(why)"
            case .artwork(let error): "minting failed: \(error)"
            case .watermark(let error): "minting failed: \(error)"
            case .sealing(let error): "minting failed: \(error)"
            case .encoding(let error): "minting failed: \(error)"
            }
        }
    }

    /// Mints one coupon. For many, make one ``session()`` per task and reuse it.
    public func mint(_ terms: CouponTerms, productName: String? = nil) throws(MintError) -> Minted {
        try session().mint(terms, productName: productName)
    }

    /// A minting session holds per-task resources (fonts, glyph cache); it
    /// is not shared between tasks. Batch minting makes one per worker.
    public func session() -> Session { Session(minter: self) }

    public final class Session {
        let minter: CouponMinter
        private var artwork: CouponArtwork?

        init(minter: CouponMinter) {
            self.minter = minter
        }

        /// `productName` is shown on the artwork (default: the product id); it is not signed.
        public func mint(_ terms: CouponTerms, productName: String? = nil) throws(MintError) -> Minted {
            guard CouponTerms.isValidSerial(terms.serial) else { throw .invalidTerms("bad serial '\(terms.serial)'") }
            guard Discount.validated(terms.discount) != nil else { throw .invalidTerms("discount out of range") }
            guard terms.validFrom <= terms.validUntil else { throw .invalidTerms("valid_until is before valid_from") }
            let spec = CouponArtSpec(
                title: terms.title, productName: productName ?? terms.productId,
                validFrom: CouponDates.day(terms.validFrom), validUntil: CouponDates.day(terms.validUntil),
                serial: terms.serial, width: minter.width, height: minter.height, background: minter.background)
            var image: PixelBuffer
            do throws(ArtError) {
                let artwork: CouponArtwork
                if let loaded = self.artwork {
                    artwork = loaded
                } else {
                    artwork = try CouponArtwork()
                    self.artwork = artwork
                }
                image = try artwork.render(spec).image
            } catch {
                throw .artwork(error)
            }
            var signed = terms
            signed.issuerId = minter.issuer.publicKey.id
            // A personal coupon's robust layer is each member's copy's (`CouponPersonaliser`).
            if let robustKey = minter.robustKey, !signed.personal {
                let id = CouponRobustIdentity.identifier(
                    minter.robustDerivation, issuerId: signed.issuerId, serial: signed.serial, key: robustKey)
                image = RobustMark.embed(image, id: id, key: robustKey)
            }
            signed.artworkDigest = Watermark.artworkDigest(image)
            let sealed: [UInt8]
            do {
                sealed = try SealedToken.seal(signed, issuer: minter.issuer, revealKey: minter.revealKey)
            } catch {
                throw .sealing(error)
            }
            do throws(WatermarkError) {
                let key = try WatermarkKeyCache.shared.key(for: minter.revealKey)
                try Watermark.embed(sealed, into: &image, key: key, keyHint: minter.revealKey.epoch)
            } catch {
                throw .watermark(error)
            }
            do throws(PNGError) {
                return Minted(terms: signed, png: try minter.encoder.encode(image))
            } catch {
                throw .encoding(error)
            }
        }
    }
}

/// Dates as coupons print them.
enum CouponDates {
    /// "2026-12-01" (UTC) for Unix seconds.
    static func day(_ seconds: Int64) -> String {
        let style = Date.ISO8601FormatStyle(timeZone: TimeZone(secondsFromGMT: 0)!).year().month().day()
        return Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(style)
    }
}
