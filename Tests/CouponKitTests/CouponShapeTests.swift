import CouponArt
import CouponKit
import Testing

/// `CouponShape` states the artwork's minimum size without depending on the artwork
/// module; this holds the two together.
@Suite struct CouponShapeTests {
    @Test func theSmallestSideIsTheArtworksMinimum() {
        #expect(CouponShape.smallestSide == min(CouponArtwork.minimumWidth, CouponArtwork.minimumHeight))
    }
}
