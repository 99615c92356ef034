import CTurboJPEG
import ImageCore
import ImageFormats
import PNGCodec
import Testing

/// Untrusted JPEG and WebP bytes: every kind of damage is a typed error, never a crash, and
/// a header declaring a huge image is refused before pixel memory exists.
@Suite struct HostileInputTests {
    /// The offset of the first SOFn marker's height field in a JPEG (after FF Cn, length, precision).
    static func sofSizeOffset(_ jpeg: [UInt8]) throws -> Int {
        var offset = 2
        while offset + 4 <= jpeg.count {
            #expect(jpeg[offset] == 0xFF)
            let marker = jpeg[offset + 1]
            if [0xC0, 0xC1, 0xC2, 0xC9, 0xCA].contains(marker) { return offset + 5 }
            offset += 2 + Int(jpeg[offset + 2]) << 8 + Int(jpeg[offset + 3])
        }
        Issue.record("no SOF marker")
        return 0
    }

    static func withJPEGSize(_ jpeg: [UInt8], width: Int, height: Int) throws -> [UInt8] {
        var out = jpeg
        let at = try sofSizeOffset(jpeg)
        out[at] = UInt8(height >> 8)
        out[at + 1] = UInt8(height & 0xFF)
        out[at + 2] = UInt8(width >> 8)
        out[at + 3] = UInt8(width & 0xFF)
        return out
    }

    @Test(arguments: ["photo-420-q90.jpg", "photo-422-progressive.jpg"])
    func jpegDeclaringHugeSizeIsRefusedBeforeAllocating(_ name: String) throws {
        let jpeg = try CodecFixtures.bytes(name)
        let huge = try Self.withJPEGSize(jpeg, width: 65_500, height: 65_500)
        #expect(try JPEGDecoder().header(of: huge).width == 65_500)
        #expect(throws: ImageFormatError.tooLarge(width: 65_500, height: 65_500, limit: 40_000_000)) {
            try JPEGDecoder().decode(huge)
        }
        let justOver = try Self.withJPEGSize(jpeg, width: 2001, height: 2000)
        #expect(throws: ImageFormatError.tooLarge(width: 2001, height: 2000, limit: 4_000_000)) {
            try JPEGDecoder(limits: DecodeLimits(maxPixels: 4_000_000)).decode(justOver)
        }
    }

    @Test func jpegWithZeroSideIsAnInvalidHeader() throws {
        let jpeg = try CodecFixtures.bytes("photo-420-q90.jpg")
        for (width, height) in [(0, 37), (61, 0)] {
            #expect {
                try JPEGDecoder().decode(Self.withJPEGSize(jpeg, width: width, height: height))
            } throws: { error in
                guard case .invalidHeader = error as? ImageFormatError else { return false }
                return true
            }
        }
    }

    @Test func webpDeclaringHugeSizeIsRefusedBeforeAllocating() throws {
        // Lossy (VP8): 14-bit width and height, little-endian, after the 3-byte frame tag and start code.
        var lossy = try CodecFixtures.bytes("photo-q80.webp")
        #expect(Array(lossy[12..<16]) == Array("VP8 ".utf8) && Array(lossy[23..<26]) == [0x9D, 0x01, 0x2A])
        for at in [26, 28] {
            lossy[at] = 0xFF
            lossy[at + 1] = 0x3F
        }
        #expect(throws: ImageFormatError.tooLarge(width: 16_383, height: 16_383, limit: 40_000_000)) {
            try WebPDecoder().decode(lossy)
        }
        // Lossless (VP8L): after the 0x2F signature, 14 bits width - 1 and 14 bits height - 1.
        var lossless = try CodecFixtures.bytes("photo-lossless.webp")
        #expect(Array(lossless[12..<16]) == Array("VP8L".utf8) && lossless[20] == 0x2F)
        for at in 21...23 { lossless[at] = 0xFF }
        lossless[24] |= 0x0F
        #expect(throws: ImageFormatError.tooLarge(width: 16_384, height: 16_384, limit: 40_000_000)) {
            try WebPDecoder().decode(lossless)
        }
        var zero = try CodecFixtures.bytes("photo-q80.webp")
        zero[26] = 0
        zero[27] = 0
        #expect {
            try WebPDecoder().decode(zero)
        } throws: { error in
            guard case .invalidHeader = error as? ImageFormatError else { return false }
            return true
        }
    }

    @Test func truncatedJPEG() throws {
        let jpeg = try CodecFixtures.bytes("photo-420-q90.jpg")
        #expect(throws: ImageFormatError.truncated("Premature end of JPEG file")) {
            try JPEGDecoder().decode(Array(jpeg.prefix(jpeg.count - 200)))
        }
        // Every prefix is refused with a typed error (the whole file is the only one accepted).
        for length in 0..<jpeg.count {
            #expect(throws: ImageFormatError.self) { try JPEGDecoder().decode(Array(jpeg.prefix(length))) }
        }
    }

    @Test func truncatedWebP() throws {
        for name in ["photo-q80.webp", "photo-lossless.webp", "alpha-q80.webp"] {
            let webp = try CodecFixtures.bytes(name)
            #expect(throws: ImageFormatError.truncated("libwebp: not enough data")) {
                try WebPDecoder().decode(Array(webp.prefix(webp.count / 2)))
            }
            for length in 0..<webp.count {
                #expect(throws: ImageFormatError.self) { try WebPDecoder().decode(Array(webp.prefix(length))) }
            }
        }
    }

    /// Each byte inverted in turn: the decoders either decode or throw, and the entropy-coded
    /// data of a JPEG has no checksum, so some flips decode to other pixels.
    @Test(arguments: ["photo-420-q90.jpg", "photo-422-progressive.jpg", "photo-q80.webp", "alpha-lossless.webp"])
    func flippedBytesNeverCrash(_ name: String) throws {
        let bytes = try CodecFixtures.bytes(name)
        var refused = 0
        for index in bytes.indices {
            var damaged = bytes
            damaged[index] ^= 0xFF
            do {
                let image = try ImageDecoder(limits: DecodeLimits(maxPixels: 4_000_000)).decode(damaged).image
                #expect(image.pixelCount <= 4_000_000)
            } catch {
                refused += 1
            }
        }
        #expect(refused > 0)
    }

    @Test func cmykJPEGIsRefused() throws {
        // TurboJPEG writes CMYK pixels as a YCCK JPEG (Adobe transform).
        var cmyk = [UInt8](repeating: 0, count: 16 * 8 * 4)
        for index in cmyk.indices { cmyk[index] = UInt8(index % 251) }
        let jpeg = try #require(Self.compress(cmyk, width: 16, height: 8, pixelFormat: TJPF_CMYK))
        #expect(try JPEGDecoder().header(of: jpeg).colorSpace == .yCCK)
        #expect(throws: ImageFormatError.unsupported("YCCK JPEG: only YCbCr, RGB and grayscale JPEGs are decoded")) {
            try JPEGDecoder().decode(jpeg)
        }
    }

    @Test func jpegWithoutAFrame() throws {
        let jpeg = try CodecFixtures.bytes("photo-420-q90.jpg")
        let beforeFrame = Array(jpeg.prefix(try Self.sofSizeOffset(jpeg) - 5))
        #expect(throws: ImageFormatError.invalidHeader("no image: a tables-only datastream (no frame header)")) {
            try JPEGDecoder().decode(beforeFrame + [0xFF, 0xD9])
        }
        #expect(throws: ImageFormatError.truncated("the data ends before the frame header")) {
            try JPEGDecoder().decode(beforeFrame)
        }
        #expect(throws: ImageFormatError.empty) { try JPEGDecoder().decode([]) }
        #expect(throws: ImageFormatError.unrecognized) { try JPEGDecoder().decode(Array("not a JPEG".utf8)) }
        #expect(throws: ImageFormatError.truncated("file ends inside the signature")) {
            try JPEGDecoder().header(of: [0xFF, 0xD8])
        }
    }

    @Test func animatedWebPIsRefused() throws {
        let animated = try CodecFixtures.bytes("animated.webp")
        #expect(try WebPDecoder().header(of: animated).isAnimated)
        #expect(throws: ImageFormatError.unsupported("animated WebP: only still images are decoded")) {
            try WebPDecoder().decode(animated)
        }
        #expect(throws: ImageFormatError.empty) { try WebPDecoder().decode([]) }
        #expect(throws: ImageFormatError.unrecognized) { try WebPDecoder().decode(Array("RIFF\0\0\0\0WAVE".utf8)) }
        #expect(throws: ImageFormatError.truncated("file ends inside the RIFF header")) {
            try WebPDecoder().header(of: Array("RIFF".utf8))
        }
    }

    /// A JPEG from TurboJPEG straight from 4-byte pixels (CMYK).
    static func compress(_ pixels: [UInt8], width: Int, height: Int, pixelFormat: TJPF) -> [UInt8]? {
        guard let handle = tjInitCompress() else { return nil }
        defer { tjDestroy(handle) }
        var output: UnsafeMutablePointer<UInt8>?
        var length: UInt = 0
        let stride = width * 4
        let status = pixels.withUnsafeBufferPointer {
            tjCompress2(
                handle, $0.baseAddress, Int32(width), Int32(stride), Int32(height), Int32(pixelFormat.rawValue),
                &output, &length, Int32(TJSAMP_444.rawValue), 90, 0)
        }
        defer { tjFree(output) }
        guard status == 0, let output else { return nil }
        return Array(UnsafeBufferPointer(start: output, count: Int(length)))
    }
}
