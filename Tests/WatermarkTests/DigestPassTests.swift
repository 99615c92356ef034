import Crypto
import ImageCore
import TestSupport
import Testing

@testable import Watermark

/// The fused pass (mask once, feed SHA-256 and NH) against the separate computations, and
/// the mask kernel against its scalar reference.
@Suite struct DigestPassTests {
    @Test func maskKernelMatchesItsReference() {
        var rng = SplitMix64(seed: 70)
        let data = rng.bytes(700)
        for channels in [3, 4] {
            for count in stride(from: 0, through: 640, by: channels) {
                var simd = [UInt8](repeating: 0xAA, count: count + 1)
                var reference = simd
                data.withUnsafeBufferPointer { src in
                    simd.withUnsafeMutableBufferPointer { dst in
                        DigestKernel.mask(src.baseAddress!, into: dst.baseAddress!, count: count, channels: channels, mode: .simd)
                    }
                    reference.withUnsafeMutableBufferPointer { dst in
                        DigestKernel.mask(
                            src.baseAddress!, into: dst.baseAddress!, count: count, channels: channels, mode: .reference)
                    }
                }
                #expect(simd == reference, "channels \(channels) count \(count)")
                #expect(simd[count] == 0xAA, "nothing written past count")
            }
        }
    }

    /// SHA-256 of the prefix and the byte-wise masked pixels, written out longhand.
    static func plainArtworkDigest(_ image: PixelBuffer) -> [UInt8] {
        var message = Array("couponmark/artwork/v1".utf8)
        for v in [image.width, image.height, image.format.channels] {
            for i in 0..<8 { message.append(UInt8(truncatingIfNeeded: UInt64(v) >> (8 * i))) }
        }
        for (i, byte) in image.bytes.enumerated() {
            message.append(image.format == .rgba8 && i % 4 == 3 ? byte : byte & 0xFE)
        }
        return Array(SHA256.hash(data: message))
    }

    @Test(arguments: [
        (17, 5, PixelFormat.rgb8), (33, 31, .rgba8), (203, 77, .rgb8), (131, 197, .rgba8), (800, 90, .rgb8),
    ])
    func fusedPassMatchesTheSeparateDigests(width: Int, height: Int, format: PixelFormat) {
        let image = TestImages.noise(width: width, height: height, format: format, seed: UInt64(width * height))
        let key = Fixtures.key(71)
        for mode in KernelMode.allCases {
            let fused = DigestPass.run(image, nhKey: key.nhKey, mode: mode)
            #expect(fused.artwork == Self.plainArtworkDigest(image), "\(mode)")
            #expect(fused.nh == TamperGrid.nhSums(image, key: key, mode: .reference), "\(mode)")
        }
        #expect(Watermark.artworkDigest(image) == Self.plainArtworkDigest(image))
    }

    @Test func markedImageVerifiesLikeExtractAndCheck() throws {
        var image = Fixtures.couponArt(width: 400, height: 200, format: .rgb8, seed: 72)
        let key = Fixtures.key(73)
        try Watermark.embed([1, 2, 3, 4], into: &image, key: key, keyHint: 9)
        Fixtures.paint(&image, x: 100, y: 40, w: 70, h: 50, colour: [255, 0, 0])
        let marked = try MarkedImage(image)
        #expect(marked.header.keyHint == 9)
        let verified = try marked.verify(key: key)
        #expect(verified.payload == (try Watermark.extract(from: image, key: key)))
        #expect(verified.tamper == (try Watermark.check(image, key: key)))
        #expect(!verified.tamper.isIntact)
        #expect(verified.artworkDigest == Watermark.artworkDigest(image))
        #expect(throws: WatermarkError.wrongKey(keyHint: 9)) { try marked.verify(key: Fixtures.key(74)) }
        #expect(throws: WatermarkError.noWatermark) {
            try MarkedImage(Fixtures.couponArt(width: 400, height: 200, format: .rgb8, seed: 75))
        }
    }
}
