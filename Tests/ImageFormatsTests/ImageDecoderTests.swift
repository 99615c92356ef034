import ImageCore
import ImageFormats
import PNGCodec
import Testing

/// The format is told by the first bytes, and each format goes to its own decoder.
@Suite struct ImageDecoderTests {
    @Test func sniffsEachSignature() throws {
        #expect(ImageFormat(sniffing: try CodecFixtures.bytes("photo-420-q90.jpg")) == .jpeg)
        #expect(ImageFormat(sniffing: try CodecFixtures.bytes("photo-q80.webp")) == .webp)
        let png = try PNGEncoder().encode(CodecFixtures.source())
        #expect(ImageFormat(sniffing: png) == .png)
        #expect(ImageFormat(sniffing: Array("GIF89a".utf8)) == nil)
        // A RIFF container of another form (WAVE) is not WebP.
        #expect(ImageFormat(sniffing: Array("RIFF\u{24}\0\0\0WAVEfmt ".utf8)) == nil)
        #expect(ImageFormat(sniffing: [0xFF, 0xD8]) == nil)
    }

    @Test func decodesEveryFormatToTheSamePixelsAsItsDecoder() throws {
        let source = try CodecFixtures.source()
        let png = try PNGEncoder().encode(source)
        let decodedPNG = try ImageDecoder().decode(png, as: .rgb8)
        #expect(decodedPNG.format == .png && decodedPNG.image == source)

        let jpeg = try CodecFixtures.bytes("photo-420-q90.jpg")
        let decodedJPEG = try ImageDecoder().decode(jpeg)
        #expect(decodedJPEG.format == .jpeg)
        #expect(try decodedJPEG.image == JPEGDecoder().decode(jpeg))

        let webp = try CodecFixtures.bytes("alpha-q80.webp")
        let decodedWebP = try ImageDecoder().decode(webp)
        #expect(decodedWebP.format == .webp)
        #expect(try decodedWebP.image == WebPDecoder().decode(webp))
    }

    @Test func refusesWhatItCannotRead() throws {
        #expect(throws: ImageFormatError.empty) { try ImageDecoder().decode([]) }
        #expect(throws: ImageFormatError.unrecognized) { try ImageDecoder().decode(Array("GIF89a, not ours".utf8)) }
        #expect(throws: ImageFormatError.truncated("file ends inside the signature")) {
            try ImageDecoder().decode([0x89, 0x50, 0x4E])
        }
        #expect(throws: ImageFormatError.truncated("file ends inside the signature")) {
            try ImageDecoder().decode([0xFF, 0xD8])
        }
        // PNG failures keep PNGDecoder's own error.
        let png = try PNGEncoder().encode(CodecFixtures.source())
        #expect(throws: ImageFormatError.png(.missingEnd)) { try ImageDecoder().decode(Array(png.dropLast(12))) }
        // The limits reach every decoder.
        let tiny = ImageDecoder(limits: DecodeLimits(maxPixels: 100))
        #expect(throws: ImageFormatError.png(.tooLarge(width: 61, height: 37, limit: 100))) { try tiny.decode(png) }
        for name in ["photo-420-q90.jpg", "photo-q80.webp"] {
            #expect(throws: ImageFormatError.tooLarge(width: 61, height: 37, limit: 100)) {
                try tiny.decode(CodecFixtures.bytes(name))
            }
        }
        // A decoder given another format says so.
        #expect(throws: ImageFormatError.unrecognized) { try JPEGDecoder().decode(png) }
        #expect(throws: ImageFormatError.unrecognized) { try WebPDecoder().decode(CodecFixtures.bytes("gray-q85.jpg")) }
    }

    @Test func rgbFromAlphaOnlyWhenOpaque() throws {
        #expect(throws: ImageFormatError.hasTransparency) {
            try WebPDecoder().decode(CodecFixtures.bytes("alpha-q80.webp"), as: .rgb8)
        }
        // An opaque RGBA image, written by libwebp (which then stores no alpha), decodes to RGB.
        let opaque = try CodecFixtures.source().toRGBA()
        let webp = try WebPEncoder(lossless: true).encode(opaque)
        #expect(try WebPDecoder().decode(webp, as: .rgb8) == (try CodecFixtures.source()))
    }
}
