import ImageCore
import TestSupport
import Testing

@_spi(Benchmarks) @testable import Watermark

/// Issue 9, item 6: a mark on an RGBA image with transparent parts survives what viewers
/// and optimisers do to transparency, because its layout never depends on alpha.
@Suite struct TransparencyTests {
    static let width = 800
    static let height = 400
    static let seed: UInt64 = 61

    /// A rounded card (transparent corners, semi-transparent border) marked with a seeded
    /// 400-byte payload and a fixed nonce.
    static let marked: (image: PixelBuffer, payload: [UInt8]) = {
        var image = TransparentImages.roundedCard(width: width, height: height, radius: 48, seed: seed)
        var rng = SplitMix64(seed: seed)
        let payload = rng.bytes(400)
        try! Watermark.embed(payload, into: &image, key: Fixtures.key(seed), keyHint: 5, nonce: 0x7A17_A000, mode: .simd)
        return (image, payload)
    }()

    static let key = Fixtures.key(seed)

    /// Extracts from `image` and, when it is opaque, from its RGB copy too (what a PNG
    /// decoder that drops an all-opaque alpha channel gives).
    func expectPayload(_ image: PixelBuffer, _ what: String) throws {
        let payload = Self.marked.payload
        #expect(try Watermark.extract(from: image, key: Self.key).payload == payload, "\(what)")
        if let rgb = image.toRGB(), rgb.format == .rgb8, image.format == .rgba8 {
            #expect(try Watermark.extract(from: rgb, key: Self.key).payload == payload, "\(what), as RGB")
        }
    }

    @Test func testImageHasTransparentCornersAndASemiTransparentBorder() {
        let image = Self.marked.image
        var transparent = 0
        var partial = 0
        for p in 0..<image.pixelCount {
            let a = image.bytes[p * 4 + 3]
            if a == 0 { transparent += 1 } else if a < 255 { partial += 1 }
        }
        #expect(transparent > 1500 && partial > 5000)
        #expect(image.bytes[3] == 0 && image.bytes[image.bytes.count - 1] == 0)
    }

    @Test func layoutIgnoresAlphaAndFormat() throws {
        let rgba = Geometry(width: Self.width, height: Self.height, format: .rgba8)
        let rgb = Geometry(width: Self.width, height: Self.height, format: .rgb8)
        #expect(HeaderLayout(rgba).cells == HeaderLayout(rgb).cells)
        #expect(HeaderLayout(rgba).whitening == HeaderLayout(rgb).whitening)
        let a = try KeyedLayout(geometry: rgba, header: HeaderLayout(rgba), key: Self.key, nonce: 9)
        let b = try KeyedLayout(geometry: rgb, header: HeaderLayout(rgb), key: Self.key, nonce: 9)
        #expect(a.tagSegment == b.tagSegment && a.tagShift == b.tagShift)
        #expect(a.payloadSlots(cellChunks: 40).slots == b.payloadSlots(cellChunks: 40).slots)
        #expect(a.payloadSlots(cellChunks: 40).whitening == b.payloadSlots(cellChunks: 40).whitening)
    }

    @Test func markedImageReadsBack() throws {
        let image = Self.marked.image
        let out = try Watermark.verify(image, key: Self.key)
        #expect(out.payload.payload == Self.marked.payload)
        #expect(out.tamper.isIntact)
    }

    /// (a) Composited over white, black and a seeded random colour, then alpha 255.
    @Test(arguments: [[255, 255, 255], [0, 0, 0], [UInt8]?.none] as [[UInt8]?])
    func flattened(onto colour: [UInt8]?) throws {
        var rng = SplitMix64(seed: 62)
        let background = colour ?? rng.bytes(3)
        let flat = TransparentImages.flattened(Self.marked.image, over: background)
        try expectPayload(flat, "flattened onto \(background)")
    }

    /// (b) Alpha set to 255 everywhere.
    @Test func alphaSetOpaque() throws {
        try expectPayload(TransparentImages.opaque(Self.marked.image), "alpha 255")
    }

    /// (c) The colour of fully transparent pixels zeroed.
    @Test func transparentColourZeroed() throws {
        try expectPayload(TransparentImages.zeroingTransparentColour(Self.marked.image), "zeroed")
    }

    /// (d) A quarter of the image painted, each time over a transparent corner; and the
    /// same after flattening onto white.
    @Test(arguments: [false, true])
    func paintedQuarterOverACorner(flattenFirst: Bool) throws {
        var rng = SplitMix64(seed: flattenFirst ? 64 : 63)
        let (w, h) = (Self.width / 2, Self.height / 2)
        for (x, y) in [(0, 0), (w, 0), (0, h), (w, h)] {
            var damaged = Self.marked.image
            if flattenFirst { damaged = TransparentImages.flattened(damaged, over: [255, 255, 255]) }
            TransparentImages.paintOpaque(&damaged, x: x, y: y, w: w, h: h, colour: rng.bytes(3))
            try expectPayload(damaged, "painted at \(x),\(y), flattened \(flattenFirst)")
        }
    }

    // MARK: What the tamper grid and the artwork digest make of it

    /// Blocks that hold a pixel whose alpha satisfies `predicate`.
    func blocks(where predicate: (UInt8) -> Bool) -> Set<Int> {
        let image = Self.marked.image
        return TransparentImages.blocks(of: image) { predicate(image.bytes[$0 + 3]) }
    }

    func tampered(_ image: PixelBuffer) throws -> Set<Int> {
        TransparentImages.indices(try Watermark.check(image, key: Self.key), in: image)
    }

    /// Alpha is artwork: setting it to 255 changes exactly the blocks that were not opaque.
    @Test func alphaChangeIsReportedWhereAlphaChanged() throws {
        let opaque = TransparentImages.opaque(Self.marked.image)
        #expect(try tampered(opaque) == blocks { $0 < 255 })
        #expect(Watermark.artworkDigest(opaque) != Watermark.artworkDigest(Self.marked.image))
    }

    /// The colour under alpha 0 is artwork too (a viewer that drops alpha shows it): zeroing
    /// it changes exactly the blocks holding transparent pixels (all drawn in non-black colours).
    @Test func zeroedTransparentColourIsAnArtworkChange() throws {
        let zeroed = TransparentImages.zeroingTransparentColour(Self.marked.image)
        #expect(try tampered(zeroed) == blocks { $0 == 0 })
        #expect(Watermark.artworkDigest(zeroed) != Watermark.artworkDigest(Self.marked.image))
        // Already-zero colour stays the same artwork: zeroing twice changes nothing more.
        #expect(
            Watermark.artworkDigest(TransparentImages.zeroingTransparentColour(zeroed))
                == Watermark.artworkDigest(zeroed))
    }

    /// A flattened copy decoded as RGB no longer holds the alpha bytes the tags covered, so
    /// every block differs; given back an opaque alpha channel it shows exactly the blocks
    /// that were not opaque.
    @Test func flattenedCopyIsCheckedInRGBA() throws {
        let flat = TransparentImages.flattened(Self.marked.image, over: [255, 255, 255])
        let rgb = try #require(flat.toRGB())
        #expect(try Watermark.check(rgb, key: Self.key).tamperedBlocks.count == Geometry(rgb).blockCount)
        #expect(try tampered(rgb.toRGBA()) == blocks { $0 < 255 })
    }
}
