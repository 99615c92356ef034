import ImageCore
import TestSupport
import Testing

@testable import Watermark

@Suite struct ArtworkDigestTests {
    @Test(arguments: PixelFormat.allCases)
    func unchangedByMarkingChangedByVisibleEdit(format: PixelFormat) throws {
        var image = Fixtures.couponArt(width: 403, height: 201, format: format, seed: 12)
        let before = Watermark.artworkDigest(image)
        #expect(before.count == 32)
        try Watermark.embed([UInt8](repeating: 0xAB, count: 256), into: &image, key: Fixtures.key(50))
        #expect(Watermark.artworkDigest(image) == before)

        var edited = image
        edited.bytes[edited.offset(x: 200, y: 100) + 1] ^= 0x02
        #expect(Watermark.artworkDigest(edited) != before)

        var lsbOnly = image
        lsbOnly.bytes[lsbOnly.offset(x: 7, y: 9)] ^= 0x01
        #expect(Watermark.artworkDigest(lsbOnly) == before)

        if format == .rgba8 {
            var alpha = image
            alpha.bytes[alpha.offset(x: 402, y: 200) + 3] ^= 0x01
            #expect(Watermark.artworkDigest(alpha) != before, "alpha is covered whole")
        }
    }

    @Test func boundToGeometry() {
        let a = PixelBuffer(width: 8, height: 2, format: .rgb8)
        let b = PixelBuffer(width: 4, height: 4, format: .rgb8)
        #expect(Watermark.artworkDigest(a) != Watermark.artworkDigest(b))
    }

    @Test func matchesAPlainMaskedHash() {
        // Chunked masking (64 KiB) vs a byte-wise reference over a buffer larger than one chunk.
        let image = TestImages.noise(width: 211, height: 111, format: .rgba8, seed: 4)
        var masked = image
        for i in 0..<masked.bytes.count where i % 4 != 3 { masked.bytes[i] &= 0xFE }
        #expect(Watermark.artworkDigest(image) == Watermark.artworkDigest(masked))
        var other = masked
        other.bytes[70_000] ^= 0x04
        #expect(Watermark.artworkDigest(other) != Watermark.artworkDigest(masked))
    }
}
