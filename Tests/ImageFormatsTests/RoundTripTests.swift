import Foundation
import ImageCore
import ImageFormats
import PNGCodec
import TestSupport
import Testing

/// The encoders make the degraded copies the robust-watermark tests need: close to the
/// original at quality 90, smaller and worse at low quality, deterministic.
@Suite struct RoundTripTests {
    /// The README's minted coupon (800x400): real artwork, text and flat colour.
    static func coupon() throws -> PixelBuffer {
        let bytes = [UInt8](try Data(contentsOf: TestFiles.fixtures.appendingPathComponent("readme/minted.png")))
        return try PNGDecoder().decode(bytes, as: .rgb8).image
    }

    @Test func jpegAtQuality90IsClose() throws {
        let coupon = try Self.coupon()
        let jpeg = try JPEGEncoder(quality: 90).encode(coupon)
        let header = try JPEGDecoder().header(of: jpeg)
        #expect(header.width == 800 && header.height == 400 && header.subsampling == .yuv420)
        #expect(header.colorSpace == .yCbCr)
        let decoded = try JPEGDecoder().decode(jpeg, as: .rgb8)
        let quality90 = decoded.psnr(to: coupon)
        #expect(quality90 > 30, "PSNR \(quality90) dB")
        // Lower quality: a smaller file and a worse picture; 4:4:4 keeps more colour.
        let jpeg30 = try JPEGEncoder(quality: 30).encode(coupon)
        #expect(jpeg30.count < jpeg.count)
        #expect(try JPEGDecoder().decode(jpeg30, as: .rgb8).psnr(to: coupon) < quality90)
        let full = try JPEGEncoder(quality: 90, subsampling: .yuv444).encode(coupon)
        #expect(try JPEGDecoder().header(of: full).subsampling == .yuv444)
        #expect(try JPEGDecoder().decode(full, as: .rgb8).psnr(to: coupon) > quality90)
        // The same input gives the same bytes.
        #expect(try JPEGEncoder(quality: 90).encode(coupon) == jpeg)
    }

    @Test func webpAtQuality90IsClose() throws {
        let coupon = try Self.coupon()
        let webp = try WebPEncoder(quality: 90).encode(coupon)
        let header = try WebPDecoder().header(of: webp)
        #expect(header.width == 800 && header.height == 400 && header.compression == .lossy && !header.hasAlpha)
        let quality90 = try WebPDecoder().decode(webp, as: .rgb8).psnr(to: coupon)
        #expect(quality90 > 30, "PSNR \(quality90) dB")
        let webp30 = try WebPEncoder(quality: 30).encode(coupon)
        #expect(webp30.count < webp.count)
        #expect(try WebPDecoder().decode(webp30, as: .rgb8).psnr(to: coupon) < quality90)
        #expect(try WebPEncoder(quality: 90).encode(coupon) == webp)
    }

    @Test func losslessWebPKeepsEveryPixel() throws {
        let noise = TestImages.noise(width: 67, height: 41, format: .rgba8, seed: 11)
        let webp = try WebPEncoder(lossless: true).encode(noise)
        #expect(try WebPDecoder().header(of: webp).compression == .lossless)
        // Not bit-exact under fully transparent pixels unless libwebp is told `exact`; the
        // simple API is not, so compare the visible pixels and every alpha.
        let decoded = try WebPDecoder().decode(webp)
        for index in 0..<noise.pixelCount where noise.bytes[index * 4 + 3] != 0 {
            #expect(decoded.bytes[(index * 4)..<(index * 4 + 4)] == noise.bytes[(index * 4)..<(index * 4 + 4)])
        }
    }

    @Test func jpegDecodesRGBAWithOpaqueAlphaAndRefusesTransparency() throws {
        let source = try CodecFixtures.source()
        let jpeg = try JPEGEncoder().encode(source.toRGBA())
        #expect(jpeg == (try JPEGEncoder().encode(source)))
        let rgba = try JPEGDecoder().decode(jpeg, as: .rgba8)
        #expect(rgba.format == .rgba8 && !rgba.hasTransparency)
        var transparent = source.toRGBA()
        transparent.bytes[3] = 0
        #expect(throws: ImageFormatError.hasTransparency) { try JPEGEncoder().encode(transparent) }
        // WebP keeps alpha.
        let webp = try WebPEncoder(quality: 90).encode(transparent)
        #expect(try WebPDecoder().decode(webp)[x: 0, y: 0][3] == 0)
    }

    @Test func encodersRefuseBadArguments() {
        let image = PixelBuffer(width: 4, height: 4, format: .rgb8)
        #expect(throws: ImageFormatError.encodeFailed("quality 0 is not in 1...100")) {
            try JPEGEncoder(quality: 0).encode(image)
        }
        #expect(throws: ImageFormatError.encodeFailed("quality 101 is not in 0...100")) {
            try WebPEncoder(quality: 101).encode(image)
        }
        let empty = PixelBuffer(width: 0, height: 3, format: .rgb8)
        #expect(throws: ImageFormatError.encodeFailed("cannot encode a 0x3 image as JPEG (sides 1...65500)")) {
            try JPEGEncoder().encode(empty)
        }
        #expect(throws: ImageFormatError.encodeFailed("cannot encode a 0x3 image as WebP (sides 1...16383)")) {
            try WebPEncoder().encode(empty)
        }
        let wide = PixelBuffer(width: WebPEncoder.maxSide + 1, height: 1, format: .rgb8)
        #expect(throws: ImageFormatError.encodeFailed("cannot encode a 16384x1 image as WebP (sides 1...16383)")) {
            try WebPEncoder().encode(wide)
        }
        // The quality is checked first, then the size: both encoders share the one check.
        #expect(throws: ImageFormatError.encodeFailed("quality 0 is not in 1...100")) {
            try JPEGEncoder(quality: 0).encode(empty)
        }
    }
}
