import CouponArt
import CouponKit
import ImageCore
import PNGCodec

/// Drawing a revealed coupon: the PNG for `--out` and the terminal preview for `--ascii`.
enum RevealedPicture {
    /// The coupon with its discount drawn in the panel and the edited areas outlined in red
    /// (one merged outline per connected region of tampered blocks).
    static func image(of coupon: RevealedCoupon) throws(ContextualFailure<ArtError>) -> PixelBuffer {
        let panel = CouponArtwork.discountPanel(width: coupon.image.width, height: coupon.image.height)
        do throws(ArtError) {
            return try CouponArtwork().drawRevealed(
                on: coupon.image, panel: panel, headline: coupon.terms.discount.headline,
                subline: "\(coupon.terms.title) · serial \(coupon.terms.serial)",
                tamperedBlocks: coupon.tamperedAreas)
        } catch {
            throw ContextualFailure("cannot draw the revealed coupon", error, exitCode: ExitStatus.usage)
        }
    }

    /// Throws the drawing's ``ContextualFailure``, or one around the encoder's `PNGError`.
    static func png(of coupon: RevealedCoupon) throws -> [UInt8] {
        let picture = try image(of: coupon)
        do throws(PNGError) {
            return try PNGEncoder().encode(picture)
        } catch {
            throw ContextualFailure("cannot encode the revealed coupon", error, exitCode: ExitStatus.usage)
        }
    }

    static func preview(of coupon: RevealedCoupon) -> String {
        Preview.render((try? image(of: coupon)) ?? coupon.image)
    }
}
