import Foundation
import ImageCore
import TestSupport
import Testing

@testable import PNGCodec

/// The coupon fast path (`PNGDecoder.decodeSimple`, libdeflate without libpng) against libpng: the same
/// pixels on every file it takes, a fallback on every file it must not take, and the same
/// typed error on damaged files.
@Suite struct FastPathTests {
    static let libpngOnly: PNGDecoder = {
        var decoder = PNGDecoder()
        decoder.usesFastPath = false
        return decoder
    }()

    static func noise(width: Int, height: Int, format: PixelFormat, seed: UInt64) -> PixelBuffer {
        var rng = SplitMix64(seed: seed)
        var image = PixelBuffer(width: width, height: height, format: format)
        for i in image.bytes.indices { image.bytes[i] = UInt8.random(in: 0...255, using: &rng) }
        if format == .rgba8 { for i in stride(from: 3, to: image.bytes.count, by: 4) where i % 7 != 3 { image.bytes[i] = 255 } }
        return image
    }

    /// Decoding with and without the fast path gives the same pixels or the same error.
    static func expectSameOutcome(_ png: [UInt8], as format: PixelFormat, limits: DecodeLimits = .default,
                                  _ comment: Comment? = nil) {
        var fast = PNGDecoder(limits: limits)
        fast.usesFastPath = true
        var slow = PNGDecoder(limits: limits)
        slow.usesFastPath = false
        let a = Result { () throws(PNGError) in try fast.decode(png, as: format) }
        let b = Result { () throws(PNGError) in try slow.decode(png, as: format) }
        #expect(a == b, comment)
    }

    static func simple(_ png: [UInt8], as format: PixelFormat) -> DecodedPNG? {
        png.withUnsafeBytes { PNGDecoder.decodeSimple($0, as: format, limits: .default) }
    }

    @Test(arguments: [(1, 1), (16, 8), (17, 3), (203, 77), (800, 400)], [PixelFormat.rgb8, .rgba8])
    func couponFilesTakeTheFastPathWithLibpngsPixels(size: (Int, Int), format: PixelFormat) throws {
        let image = Self.noise(width: size.0, height: size.1, format: format, seed: UInt64(size.0 * 1000 + size.1))
        for level in [0, 1, 6, 9] {
            let png = try PNGEncoder(level: level, filter: .none).encode(image)
            let fast = try #require(Self.simple(png, as: format), "level \(level) should take the fast path")
            let reference = try Self.libpngOnly.decode(png, as: format)
            #expect(fast == reference)
            #expect(fast.image == image)
            #expect(try PNGDecoder().decode(png, as: format) == reference)
        }
    }

    @Test(arguments: [PNGFilter.sub, .up, .average, .paeth, .adaptive])
    func filteredFilesFallBack(filter: PNGFilter) throws {
        let image = Self.noise(width: 64, height: 40, format: .rgb8, seed: 3)
        let png = try PNGEncoder(level: 6, filter: filter).encode(image)
        #expect(Self.simple(png, as: .rgb8) == nil)
        #expect(try PNGDecoder().decode(png, as: .rgb8).image == image)
    }

    @Test func otherShapesFallBack() throws {
        let rgb = Self.noise(width: 300, height: 300, format: .rgb8, seed: 4)
        // libpng's writer splits the data into several IDAT chunks.
        let split = try PNGEncoder(level: 0, filter: .none, backend: .libpng).encode(rgb)
        #expect(ChunkSurgery(bytes: split).chunks.filter { $0.type == "IDAT" }.count > 1)
        #expect(Self.simple(split, as: .rgb8) == nil)
        Self.expectSameOutcome(split, as: .rgb8)

        let plain = try PNGEncoder(level: 6, filter: .none).encode(rgb)
        #expect(Self.simple(plain, as: .rgba8) == nil, "RGBA asked of an RGB file")
        Self.expectSameOutcome(plain, as: .rgba8)
        let rgba = try PNGEncoder(level: 6, filter: .none).encode(Self.noise(width: 30, height: 20, format: .rgba8, seed: 5))
        #expect(Self.simple(rgba, as: .rgb8) == nil, "RGB asked of an RGBA file")
        Self.expectSameOutcome(rgba, as: .rgb8)

        // An ancillary chunk between IHDR and IDAT.
        var surgery = ChunkSurgery(bytes: plain)
        let text: [UInt8] = [0, 0, 0, 4] + Array("tEXtk\0v!".utf8)
        surgery.bytes.insert(contentsOf: text + [0, 0, 0, 0], at: surgery.first("IDAT").start)
        surgery.reseal(surgery.first("tEXt"))
        #expect(Self.simple(surgery.bytes, as: .rgb8) == nil)
        Self.expectSameOutcome(surgery.bytes, as: .rgb8)
    }

    @Test func pngSuiteDecodesAsBefore() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.root.appendingPathComponent("png/pngsuite").path)
            .filter { $0.hasSuffix(".png") }.sorted()
        #expect(!names.isEmpty)
        for name in names {
            let png = try Fixtures.bytes("png/pngsuite/" + name)
            for format in PixelFormat.allCases { Self.expectSameOutcome(png, as: format, "\(name) \(format)") }
        }
    }

    @Test func damagedCouponFilesFailAsBefore() throws {
        let image = Self.noise(width: 40, height: 24, format: .rgb8, seed: 6)
        let png = try PNGEncoder(level: 6, filter: .none).encode(image)
        let chunks = ChunkSurgery(bytes: png)
        // Truncated anywhere.
        for length in stride(from: 1, to: png.count, by: 7) { Self.expectSameOutcome(Array(png[..<length]), as: .rgb8) }
        // A flipped bit in every chunk's data or CRC (bad CRC).
        for chunk in chunks.chunks {
            for at in [chunk.start + 8, chunk.end - 1] where at < png.count {
                var bad = png
                bad[at] ^= 0x10
                Self.expectSameOutcome(bad, as: .rgb8, "\(chunk.type) byte \(at)")
            }
        }
        // A wrong decompressed size: the IHDR claims one row more or fewer.
        for height in [23, 25] {
            var surgery = chunks
            surgery.patch("IHDR", at: 4, with: ChunkSurgery.bigEndian(UInt32(height)))
            #expect(Self.simple(surgery.bytes, as: .rgb8) == nil)
            Self.expectSameOutcome(surgery.bytes, as: .rgb8, "height \(height)")
        }
        // A bad Adler-32 with a good chunk CRC.
        var adler = chunks
        let idat = adler.first("IDAT")
        adler.bytes[idat.dataRange.upperBound - 1] ^= 0x01
        adler.reseal(idat)
        #expect(Self.simple(adler.bytes, as: .rgb8) == nil)
        Self.expectSameOutcome(adler.bytes, as: .rgb8)
        // Trailing data, and a size over the limit.
        Self.expectSameOutcome(png + [0], as: .rgb8)
        Self.expectSameOutcome(png, as: .rgb8, limits: DecodeLimits(maxPixels: 100))
    }
}
