import ImageCore
import PNGCodec
import TestSupport
import Testing

/// Random images of odd sizes survive encode + decode exactly, at every level and filter.
@Suite struct RoundTripTests {
    static let sizes: [(Int, Int)] = [(1, 1), (3, 7), (17, 5), (63, 31), (257, 3)]

    @Test(arguments: [0, 1, 6, 9], PNGFilter.allCases)
    func randomImagesRoundTrip(level: Int, filter: PNGFilter) throws {
        for backend in PNGEncoder.Backend.allCases {
            try roundTrip(level: level, filter: filter, backend: backend)
        }
    }

    func roundTrip(level: Int, filter: PNGFilter, backend: PNGEncoder.Backend) throws {
        // The seed comes from the arguments only (not `hashValue`, which changes from run to run).
        let seed = UInt64(level * 31 + PNGFilter.allCases.firstIndex(of: filter)!)
        var random = SplitMix64(seed: seed)
        for (width, height) in Self.sizes {
            for format in PixelFormat.allCases {
                let image = TestImages.noise(width: width, height: height, format: format, using: &random)
                let encoded = try PNGEncoder(level: level, filter: filter, backend: backend).encode(image)
                let decoded = try PNGDecoder().decode(encoded, as: format)
                #expect(
                    decoded.image == image,
                    "seed \(seed): \(width)x\(height) \(format) level \(level) \(filter) \(backend)")
                #expect(decoded.header.bitDepth == 8)
                #expect(decoded.header.colorType == (format == .rgb8 ? .rgb : .rgba))
            }
        }
    }

    /// The libdeflate writer and libpng's own writer make files that decode to the same
    /// pixels, and are about the same size (both use libpng's filter heuristic).
    @Test(arguments: [1, 6, 9], [PNGFilter.adaptive, .paeth, .none])
    func backendsAgree(level: Int, filter: PNGFilter) throws {
        var random = SplitMix64(seed: UInt64(level * 7 + 1))
        var image = PixelBuffer(width: 131, height: 77, format: .rgb8, fill: 90)
        // Flat areas with noise patches: compressible, but not trivially.
        for y in 0..<77 {
            for x in 0..<131 where (x / 16 + y / 8) % 3 == 0 {
                image[x: x, y: y] = [UInt8.random(in: 0...255, using: &random), UInt8(x), UInt8(y)]
            }
        }
        let fast = try PNGEncoder(level: level, filter: filter, backend: .libdeflate).encode(image)
        let reference = try PNGEncoder(level: level, filter: filter, backend: .libpng).encode(image)
        #expect(try PNGDecoder().decode(fast, as: .rgb8).image == image)
        #expect(try PNGDecoder().decode(reference, as: .rgb8).image == image)
        let ratio = Double(fast.count) / Double(reference.count)
        #expect(ratio > 0.8 && ratio < 1.2, "libdeflate \(fast.count) B vs libpng \(reference.count) B")
    }

    @Test func higherLevelsCompressFlatImagesBetter() throws {
        var image = PixelBuffer(width: 300, height: 200, format: .rgb8, fill: 200)
        for x in 0..<300 { image[x: x, y: x % 200] = [10, 20, 30] }
        let stored = try PNGEncoder(level: 0, filter: .none).encode(image)
        let best = try PNGEncoder(level: 9, filter: .adaptive).encode(image)
        #expect(stored.count > image.bytes.count)
        #expect(best.count * 20 < stored.count)
    }

    @Test func encoderRefusesBadLevel() {
        let image = PixelBuffer(width: 2, height: 2, format: .rgb8)
        #expect(throws: PNGError.self) { try PNGEncoder(level: 10).encode(image) }
        #expect(throws: PNGError.self) { try PNGEncoder().encode(PixelBuffer(width: 0, height: 3, format: .rgb8)) }
    }

    @Test func rgbaWithTransparencyRefusesRGB() throws {
        var image = PixelBuffer(width: 4, height: 4, format: .rgba8, fill: 255)
        image[x: 1, y: 2] = [1, 2, 3, 0]
        let encoded = try PNGEncoder().encode(image)
        #expect(throws: PNGError.hasTransparency) { try PNGDecoder().decode(encoded, as: .rgb8) }
        var opaque = image
        opaque[x: 1, y: 2] = [1, 2, 3, 255]
        let rgb = try PNGDecoder().decode(try PNGEncoder().encode(opaque), as: .rgb8).image
        #expect(rgb.toRGBA() == opaque)
    }
}
