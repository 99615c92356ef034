import CouponArt
import ImageCore
import PNGCodec
import Testing

@Suite struct CouponArtworkTests {
    @Test func defaultCouponHasTheRequestedSizeAndLayout() throws {
        let coupon = try CouponArtwork().render(Fixture.spec)
        #expect(coupon.image.width == 800)
        #expect(coupon.image.height == 400)
        #expect(coupon.image.format == .rgb8)
        let bounds = Rect(x: 0, y: 0, width: 800, height: 400)
        #expect(bounds.contains(coupon.discountPanel))
        #expect(bounds.contains(coupon.qrRect))
        #expect(bounds.contains(coupon.serialRect))
        #expect(coupon.discountPanel.width >= 300 && coupon.discountPanel.height >= 80)
        #expect(coupon.discountPanel.intersection(coupon.qrRect).isEmpty)
        #expect(coupon.serialRect.intersection(coupon.qrRect).isEmpty)
        // The QR code is drawn where reported: its quiet zone is white.
        #expect(coupon.image[x: coupon.qrRect.x, y: coupon.qrRect.y] == [255, 255, 255])
    }

    @Test func renderingIsDeterministic() throws {
        let a = try CouponArtwork().render(Fixture.spec)
        let b = try CouponArtwork().render(Fixture.spec)
        #expect(a == b)
        // The cached serial-independent layer gives the same bytes as a fresh render.
        let art = try CouponArtwork()
        var other = Fixture.spec
        other.serial = "CPN-2026-999999"
        _ = try art.render(Fixture.spec)
        let cached = try art.render(other)
        let fresh = try CouponArtwork().render(other)
        #expect(cached == fresh)
        #expect(cached.image != a.image)
    }

    @Test func serialChangesOnlyTheStub() throws {
        let art = try CouponArtwork()
        let a = try art.render(Fixture.spec)
        var spec = Fixture.spec
        spec.serial = "CPN-2026-000124"
        let b = try art.render(spec)
        #expect(a.discountPanel == b.discountPanel)
        #expect(Fixture.changedPixels(a.image, b.image, in: a.qrRect) > 0)
        #expect(Fixture.changedPixels(a.image, b.image, in: a.discountPanel) == 0)
    }

    @Test(arguments: [(1000, 520), (640, 320), (1600, 800), (400, 200)])
    func otherSizes(width: Int, height: Int) throws {
        var spec = Fixture.spec
        spec.width = width
        spec.height = height
        let coupon = try CouponArtwork().render(spec)
        #expect(coupon.image.width == width && coupon.image.height == height)
        let bounds = Rect(x: 0, y: 0, width: width, height: height)
        #expect(bounds.contains(coupon.discountPanel))
        #expect(bounds.contains(coupon.qrRect))
        #expect(coupon.discountPanel.intersection(coupon.qrRect).isEmpty)
    }

    @Test func tooSmallIsATypedError() throws {
        var spec = Fixture.spec
        spec.width = 100
        spec.height = 50
        #expect(throws: ArtError.invalidSize(width: 100, height: 50)) { try CouponArtwork().render(spec) }
    }

    @Test func longTextIsCutToFit() throws {
        var spec = Fixture.spec
        spec.title = String(repeating: "Enormous Clearance ", count: 6)
        spec.productName = String(repeating: "Deluxe Stainless Kettle ", count: 6)
        spec.serial = "CPN-2026-00000000000000012345"
        let coupon = try CouponArtwork().render(spec)
        #expect(coupon.image.width == 800)
        #expect(coupon.serialRect.maxX <= 800)
    }

    @Test func merchantBackgroundWithOddSize() throws {
        var spec = Fixture.spec
        spec.background = Fixture.merchantArt(width: 333, height: 217)
        let art = try CouponArtwork()
        let withArt = try art.render(spec)
        let plain = try art.render(Fixture.spec)
        #expect(withArt.image.width == 800 && withArt.image.height == 400)
        #expect(withArt.discountPanel == plain.discountPanel)
        // The art shows in the frame around the cards.
        let corner = Rect(x: 0, y: 0, width: 20, height: 400)
        #expect(Fixture.changedPixels(withArt.image, plain.image, in: corner) > 1000)
        #expect(Set(stride(from: 0, to: 20, by: 1).map { withArt.image[x: $0, y: 200] }).count > 1)
        // A transparent RGBA background is accepted too.
        var rgba = Fixture.merchantArt(width: 101, height: 57).toRGBA()
        for i in stride(from: 3, to: rgba.bytes.count, by: 8) { rgba.bytes[i] = 0 }
        spec.background = rgba
        #expect(try art.render(spec).image.width == 800)
    }

    @Test func flatArtworkCompressesWell() throws {
        let coupon = try CouponArtwork().render(Fixture.spec)
        let png = try PNGEncoder(level: 6, filter: .adaptive).encode(coupon.image)
        #expect(png.count < 80_000)
    }

    @Test func scaledToFillCoversAndKeepsColours() {
        var source = PixelBuffer(width: 3, height: 5, format: .rgb8, fill: 0)
        source.fill(Rect(x: 0, y: 0, width: 3, height: 5), with: RGBColor(hex: 0x336699))
        let out = source.scaledToFill(width: 17, height: 9)
        #expect(out.width == 17 && out.height == 9)
        for y in 0..<9 { for x in 0..<17 { #expect(out[x: x, y: y] == [0x33, 0x66, 0x99]) } }
    }
}
