import CouponArt
import CouponKit
import ImageCore
import PNGCodec

/// Drawing a revealed coupon: the PNG for `--out` and the terminal preview for `--ascii`.
enum RevealedPicture {
    /// The coupon with its discount drawn in the panel and the edited areas outlined in red
    /// (one merged outline per connected region of tampered blocks).
    static func image(of coupon: RevealedCoupon) throws(CommandFailure) -> PixelBuffer {
        let panel = CouponArtwork.discountPanel(width: coupon.image.width, height: coupon.image.height)
        do {
            return try CouponArtwork().drawRevealed(
                on: coupon.image, panel: panel, headline: coupon.terms.discount.headline,
                subline: "\(coupon.terms.title) · serial \(coupon.terms.serial)",
                tamperedBlocks: coupon.tamperedAreas)
        } catch {
            throw CommandFailure("cannot draw the revealed coupon: \(error)", exitCode: ExitStatus.usage)
        }
    }

    static func png(of coupon: RevealedCoupon) throws(CommandFailure) -> [UInt8] {
        do {
            return try PNGEncoder().encode(try image(of: coupon))
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("cannot encode the revealed coupon: \(error)", exitCode: ExitStatus.usage)
        }
    }

    static func preview(of coupon: RevealedCoupon) -> String {
        Preview.render((try? image(of: coupon)) ?? coupon.image)
    }
}
