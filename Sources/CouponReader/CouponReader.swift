public import CouponKit
import ImageCore
import ImageFormats
import PNGCodec
public import RobustMark

/// The one reader of coupon pictures, for the server (orders, uploads, identify) and the
/// CLI (`coupon reveal`) alike. It sniffs the format once, refuses a shape no coupon has
/// from the header (before any pixel exists), decodes once, and reads the fragile layer
/// and then the robust layer on the same pixels.
///
/// The policy:
/// - A PNG is the original until proven otherwise: the fragile layer is read first,
///   exactly as before the robust layer existed. A fragile layer that is there but
///   refuses (unknown epoch, seal, signature) is the answer, and so is a picture over
///   the pixel limit; a PNG that does not decode is not given to the robust layer.
/// - Only when the fragile layer is absent or damaged (the picture was recompressed,
///   resized, cropped or screenshotted) is the robust layer read, under the keys the
///   caller gives, all in one search (the keys share everything up to the pilots'
///   correlation; the first key, in the search's order, whose mark is found answers).
/// - A JPEG or WebP never holds the fragile layer (it does not survive lossy coding), so
///   it goes to the robust layer at once.
/// - When neither layer is found, a PNG gets the fragile layer's own reason, which is what
///   PNG coupons have always answered; a JPEG or WebP gets the robust layer's. Bytes of no
///   picture format get the PNG decoder's reason.
///
/// Every step is synchronous CPU work: the server runs one `read(_:keys:robustKeys:)`
/// per picture on its verification pool.
///
/// ```swift
/// let reader = CouponReader(limits: DecodeLimits(maxPixels: 4_000_000))
/// switch try reader.read(bytes, keys: ring, robustKeys: [merchantKey]) {
/// case .original(let coupon): print(coupon.terms.discount)
/// case .copy(let match): print(match.id)
/// case .unmarked: break  // only when robustKeys is nil
/// }
/// ```
public struct CouponReader: Sendable {
    /// Refuse pictures over this many pixels (from the header) before decoding.
    public var limits: DecodeLimits

    public init(limits: DecodeLimits = .default) {
        self.limits = limits
    }

    /// Reads `bytes`: the fragile layer, then (when it is not there) the robust layer
    /// under `robustKeys`. With `robustKeys` nil the robust layer is not searched and a
    /// picture without the fragile layer comes back as ``CouponReading/unmarked(_:)``, its
    /// pixels kept for `robust(_:keys:)`; a JPEG or WebP then comes back decoded the
    /// same way, since its fragile layer cannot exist.
    public func read(_ bytes: [UInt8], keys: KeyRing, robustKeys: [RobustKey]?) throws(CouponFailure) -> CouponReading {
        let format = ImageFormat(sniffing: bytes)
        let size = try? ImageDecoder(limits: limits).size(of: bytes)
        if let size { try Self.refuseImpossibleShape(size) }
        let revealer = CouponRevealer(keys: keys, limits: limits)
        let unmarked: UnmarkedPicture
        switch format {
        case .png:
            let image = try revealer.decode(png: bytes)
            do {
                return .original(try revealer.reveal(image: image))
            } catch where error.reasonCode == .couponUnreadable {
                unmarked = UnmarkedPicture(format: .png, image: image, fragileFailure: error)
            }
        case .jpeg, .webp:
            // Only the robust layer can be there: a shape it cannot read is refused from
            // the header, before a pixel is decoded.
            if let size { try Self.refuseUnreadableCopy(size) }
            unmarked = UnmarkedPicture(
                format: format!, image: try decode(bytes), fragileFailure: .unreadable(Self.noMark))  // matched just above
        case nil:
            // No picture format: the PNG decoder's reason, as PNG coupons always answered.
            _ = try revealer.decode(png: bytes)
            throw .unreadable("no watermark found")
        }
        guard let robustKeys else { return .unmarked(unmarked) }
        return .copy(try robust(unmarked, keys: robustKeys))
    }

    /// Searches the robust layer of a picture whose fragile layer is absent, under each of
    /// `keys` in order, on the pixels already decoded. A PNG whose robust layer is not
    /// found either throws its fragile failure; a JPEG or WebP, the robust layer's.
    public func robust(_ unmarked: UnmarkedPicture, keys: [RobustKey]) throws(CouponFailure) -> RobustMatch {
        let image = unmarked.image
        let format = unmarked.format
        do {
            try Self.refuseUnreadableCopy((image.width, image.height))
        } catch {
            throw format == .png ? unmarked.fragileFailure : error
        }
        if let found = RobustMark.detect(image, keys: keys) {
            return RobustMatch(id: found.detection.id, keyIndex: found.index, format: format)
        }
        throw format == .png ? unmarked.fragileFailure : .unreadable(Self.noMark)
    }

    /// Reads an original as a merchant uploads it: the fragile layer (which must open:
    /// its failure is thrown) and, on the same pixels, the robust layer under
    /// `robustKeys`, nil when none of them finds it.
    public func readOriginal(
        _ png: [UInt8], keys: KeyRing, robustKeys: [RobustKey]
    ) throws(CouponFailure) -> (coupon: RevealedCoupon, robust: RobustMatch?) {
        if let size = try? ImageDecoder(limits: limits).size(of: png) { try Self.refuseImpossibleShape(size) }
        let revealer = CouponRevealer(keys: keys, limits: limits)
        let coupon = try revealer.reveal(image: try revealer.decode(png: png))
        let image = coupon.image
        guard RobustMark.canCarry(width: image.width, height: image.height) else { return (coupon, nil) }
        guard let found = RobustMark.detect(image, keys: robustKeys) else { return (coupon, nil) }
        return (coupon, RobustMatch(id: found.detection.id, keyIndex: found.index, format: .png))
    }

    /// What a picture with neither layer is told.
    public static let noMark: CouponFailure.Unreadable =
        "no coupon mark found: neither the original's watermark nor the robust layer"

    /// A picture neither layer could hold is refused from its header, before a pixel is
    /// decoded: narrower than any original coupon (`CouponShape/smallestSide`) and out of
    /// the robust layer's range (`RobustMark.canCarry`), such as a 16x250000 strip.
    private static func refuseImpossibleShape(_ size: (width: Int, height: Int)) throws(CouponFailure) {
        guard min(size.width, size.height) < CouponShape.smallestSide,
            !RobustMark.canCarry(width: size.width, height: size.height)
        else { return }
        throw .unreadable(
            .reason(
                "no coupon is a \(size.width)x\(size.height) picture: an original is at least \(CouponShape.smallestSide) pixels across, and a copy's robust layer reads pictures of at most \(RobustMark.maxAspectRatio):1"
            ))
    }

    /// A copy's shape the robust layer cannot read (`RobustMark.canCarry`).
    private static func refuseUnreadableCopy(_ size: (width: Int, height: Int)) throws(CouponFailure) {
        guard !RobustMark.canCarry(width: size.width, height: size.height) else { return }
        throw .unreadable(
            .reason(
                "no coupon mark can be read from a \(size.width)x\(size.height) picture (the robust layer reads pictures of at most \(RobustMark.maxAspectRatio):1 whose shorter side is at least \(RobustMark.minShortSide) pixels)"
            ))
    }

    /// Decodes a JPEG or WebP (as decoded: the detector reads only luma, from RGB or RGBA alike).
    private func decode(_ bytes: [UInt8]) throws(CouponFailure) -> PixelBuffer {
        do throws(ImageFormatError) {
            return try ImageDecoder(limits: limits).decode(bytes).image
        } catch {
            switch error {
            case .png(let png): throw .unreadable(.png(png))
            case .tooLarge(let width, let height, let limit):
                throw .unreadable(.tooLarge(PictureTooLarge(width: width, height: height, limit: limit)))
            default: throw .unreadable(.reason(error.description))
            }
        }
    }
}
