import CouponKit
import CouponStore
import Foundation
import ImageCore
import ImageFormats
import PNGCodec
import RobustMark

/// What the robust layer of a picture said: the identifier, and the merchant key it was
/// read under. A copy names a stored coupon only together with that key
/// (``RobustKeyRepository/coupon(robustId:merchantId:generation:)``).
struct RobustReading: Sendable {
    let key: MerchantRobustKey
    /// 16 lowercase hex digits (``StoredCoupon/robustId``).
    let id: String
}

/// Reads the robust layer's identifier off a picture of any format the server takes (PNG,
/// JPEG, WebP), on the verification pool (decoding and detecting are CPU work like
/// verifying), under the keys the caller names and no others.
///
/// Each key tried is one full detection search (tens of milliseconds), so callers pass a
/// bounded list: an order, the keys of the ordered product's merchant (at most
/// ``MerchantRobustKeys/readableLimit``); identify, ``IdentifyScope``. The picture is
/// decoded once for all of them. The same ``DecodeLimits`` as the fragile layer's refuse
/// an oversized picture before any pixel memory exists.
struct RobustReader: Sendable {
    private let decoder: ImageDecoder

    init(limits: DecodeLimits) {
        self.decoder = ImageDecoder(limits: limits)
    }

    /// The identifier marked in `bytes` under the first of `keys` (in order) that finds a
    /// mark. Throws ``CouponFailure/unreadable(_:)`` when the bytes are no picture or carry
    /// no robust mark under any of them.
    func identifier(in bytes: [UInt8], keys: [MerchantRobustKey], on pool: VerificationPool) async throws -> RobustReading {
        guard !keys.isEmpty else { throw CouponFailure.unreadable(Self.noMark) }
        let decoder = self.decoder
        return try await pool.run { () throws(CouponFailure) -> RobustReading in
            // As decoded: the detector reads only luma, from RGB or RGBA alike.
            // A shape no coupon has (a 16x250000 strip) is refused from its header, before
            // a pixel is decoded or a frame allocated.
            let size: (width: Int, height: Int)
            do throws(ImageFormatError) {
                size = try decoder.size(of: bytes)
            } catch {
                throw Self.unreadable(error)
            }
            guard RobustMark.canCarry(width: size.width, height: size.height) else {
                throw .unreadable(.reason(
                    "no coupon mark can be read from a \(size.width)x\(size.height) picture (the robust layer reads pictures of at most \(RobustMark.maxAspectRatio):1 whose shorter side is at least \(RobustMark.minShortSide) pixels)"
                ))
            }
            let image: PixelBuffer
            do throws(ImageFormatError) {
                image = try decoder.decode(bytes).image
            } catch {
                throw Self.unreadable(error)
            }
            for key in keys {
                if let found = RobustMark.detect(image, key: key.key) {
                    return RobustReading(key: key, id: CouponRobustIdentity.hex(found.id))
                }
            }
            throw .unreadable(Self.noMark)
        }
    }

    private static let noMark: CouponFailure.Unreadable =
        "no coupon mark found: neither the original's watermark nor the robust layer"

    /// A decoder's refusal as the coupon failure the API names (`coupon_too_large` for a
    /// picture over the pixel limit, else `coupon_unreadable`).
    private static func unreadable(_ error: ImageFormatError) -> CouponFailure {
        switch error {
        case .png(let png): .unreadable(.png(png))
        case .tooLarge(let width, let height, let limit): .unreadable(.png(.tooLarge(width: width, height: height, limit: limit)))
        default: .unreadable(.reason(error.description))
        }
    }
}
