import ImageCore
import TestSupport
import Testing

@testable import Watermark

@Suite struct CapacityTests {
    @Test(arguments: PixelFormat.allCases)
    func fiveHundredTwelveBytesFitAt800x400(format: PixelFormat) throws {
        let capacity = Watermark.capacity(width: 800, height: 400, format: format)
        #expect(capacity >= 512)
        var rng = SplitMix64(seed: 512)
        let payload = rng.bytes(512)
        var image = Fixtures.couponArt(width: 800, height: 400, format: format, seed: 8)
        try Watermark.embed(payload, into: &image, key: Fixtures.key(6))
        #expect(try Watermark.extract(from: image, key: Fixtures.key(6)).payload == payload)
    }

    @Test func fullCapacityRoundTripsAndOneMoreThrows() throws {
        let (w, h) = (240, 160)
        let capacity = Watermark.capacity(width: w, height: h, format: .rgb8)
        #expect(capacity > 0)
        var rng = SplitMix64(seed: 1)
        var image = TestImages.noise(width: w, height: h, format: .rgb8, seed: 2)
        let original = image
        let payload = rng.bytes(capacity)
        try Watermark.embed(payload, into: &image, key: Fixtures.key(7))
        #expect(try Watermark.extract(from: image, key: Fixtures.key(7)).payload == payload)

        var again = original
        #expect(throws: WatermarkError.payloadTooLarge(needed: capacity + 1, available: capacity)) {
            try Watermark.embed(rng.bytes(capacity + 1), into: &again, key: Fixtures.key(7))
        }
        #expect(again == original, "a failed embed must not touch the image")
    }

    @Test func tinyImagesAreRejected() {
        #expect(Watermark.capacity(width: 15, height: 400, format: .rgb8) == 0)
        var image = PixelBuffer(width: 15, height: 400, format: .rgb8)
        #expect(throws: WatermarkError.imageTooSmall(width: 15, height: 400)) {
            try Watermark.embed([1], into: &image, key: Fixtures.key(1))
        }
        #expect(throws: WatermarkError.noWatermark) { try Watermark.readHeader(image) }
    }

    @Test func capacityGrowsWithArea() {
        let small = Watermark.capacity(width: 400, height: 200, format: .rgb8)
        let large = Watermark.capacity(width: 800, height: 400, format: .rgb8)
        #expect(large > 3 * small)
        #expect(Watermark.capacity(width: 800, height: 400, format: .rgba8) == large)
    }
}
