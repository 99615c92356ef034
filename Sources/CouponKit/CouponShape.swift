/// The shapes coupon pictures take, for readers that refuse a picture from its header
/// before paying for its pixels.
public enum CouponShape {
    /// The shorter side of the smallest coupon the toolchain draws (`CouponArt`'s
    /// `CouponArtwork` minimum, 400x200; a test holds the two together): an original
    /// coupon is never smaller across. A copy may be (resized down), and then it is the
    /// robust layer's to read, within its own bounds.
    public static let smallestSide = 200
}
