import CouponArt

/// The shapes coupon pictures take, for readers that refuse a picture from its header
/// before paying for its pixels.
public enum CouponShape {
    /// The shorter side of the smallest coupon the toolchain draws (`CouponArtwork`'s
    /// minimum, 400x200): an original coupon is never smaller across. A copy may be
    /// (resized down), and then it is the robust layer's to read, within its own bounds.
    public static let smallestSide = min(CouponArtwork.minimumWidth, CouponArtwork.minimumHeight)
}
