import CouponKit
import CouponStore
import Foundation
import ImageCore
import ImageFormats
import PNGCodec
import RobustMark

/// Reads the robust layer's identifier off a picture of any format the server takes (PNG,
/// JPEG, WebP), under the server's robust key, on the verification pool (decoding and
/// detecting are CPU work like verifying).
///
/// The key is read from the store once and kept: it never changes
/// (``KeyRepository/robustKey()``). The same ``DecodeLimits`` as the fragile layer's
/// refuse an oversized picture before any pixel memory exists.
final class RobustReader<Repository: KeyRepository>: @unchecked Sendable {
    private let repository: Repository
    private let decoder: ImageDecoder
    private let lock = NSLock()
    private var cachedKey: RobustKey?

    init(repository: Repository, limits: DecodeLimits) {
        self.repository = repository
        self.decoder = ImageDecoder(limits: limits)
    }

    /// The server's robust key (made on first use).
    func key() async throws -> RobustKey {
        if let key = lock.withLock({ cachedKey }) { return key }
        let key = try await repository.robustKey()
        lock.withLock { cachedKey = key }
        return key
    }

    /// The identifier marked in `bytes`, as 16 hex digits (``StoredCoupon/robustId``).
    /// Throws ``CouponFailure/unreadable(_:)`` when the bytes are no picture or carry no
    /// robust mark under this server's key.
    func identifier(in bytes: [UInt8], on pool: VerificationPool) async throws -> String {
        let key = try await key()
        let decoder = self.decoder
        return try await pool.run { () throws(CouponFailure) -> String in
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
            guard let found = RobustMark.detect(image, key: key) else {
                throw .unreadable("no coupon mark found: neither the original's watermark nor the robust layer")
            }
            return CouponRobustIdentity.hex(found.id)
        }
    }

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
