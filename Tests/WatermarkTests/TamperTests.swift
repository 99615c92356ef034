import ImageCore
import TestSupport
import Testing

@testable import Watermark

/// Goal 4: visible edits are found and located to their blocks.
@Suite struct TamperTests {
    /// Blocks in which some colour channel changed above the LSB (or alpha changed): the oracle.
    func changedBlocks(_ a: PixelBuffer, _ b: PixelBuffer) -> Set<BlockRect> {
        let g = Geometry(a)
        var out = Set<BlockRect>()
        for y in 0..<a.height {
            for x in 0..<a.width {
                let o = a.offset(x: x, y: y)
                var differs = false
                for c in 0..<a.format.channels {
                    let mask: UInt8 = c == 3 ? 0xFF : 0xFE
                    if a.bytes[o + c] & mask != b.bytes[o + c] & mask { differs = true }
                }
                if differs {
                    let bx = min(x / Layout.blockSize, g.blocksX - 1)
                    let by = min(y / Layout.blockSize, g.blocksY - 1)
                    out.insert(g.blockRect(by * g.blocksX + bx))
                }
            }
        }
        return out
    }

    @Test(arguments: PixelFormat.allCases)
    func eightByEightEditsAreLocated(format: PixelFormat) throws {
        let key = Fixtures.key(40)
        var marked = Fixtures.couponArt(width: 333, height: 217, format: format, seed: 6)
        try Watermark.embed([1, 2, 3, 4], into: &marked, key: key)
        #expect(try Watermark.check(marked, key: key).isIntact)
        var rng = SplitMix64(seed: 41)
        let trials = 300
        var located = 0
        for _ in 0..<trials {
            var edited = marked
            let x = Int.random(in: 0...(marked.width - 8), using: &rng)
            let y = Int.random(in: 0...(marked.height - 8), using: &rng)
            Fixtures.paint(&edited, x: x, y: y, w: 8, h: 8, colour: rng.bytes(3))
            let expected = changedBlocks(marked, edited)
            let report = try Watermark.check(edited, key: key)
            if !expected.isEmpty && Set(report.tamperedBlocks) == expected { located += 1 }
            // Never a block outside the edit.
            #expect(Set(report.tamperedBlocks).isSubset(of: expected), "seed 41: 8x8 edit at (\(x), \(y))")
        }
        #expect(Double(located) / Double(trials) >= 0.99, "seed 41: located \(located) of \(trials)")
    }

    @Test func reportShapeAndFraction() throws {
        let key = Fixtures.key(42)
        let side = Layout.blockSize
        var image = TestImages.noise(width: 3 * side, height: 2 * side, format: .rgb8, seed: 1)
        try Watermark.embed([7], into: &image, key: key)
        // Turn "10%" into "90%": repaint a 20x10 area inside the block at (side, side).
        for y in (side + 8)..<(side + 18) {
            for x in (side + 4)..<(side + 24) { image[x: x, y: y] = [0, 0, 0] }
        }
        let report = try Watermark.check(image, key: key)
        #expect(report.tamperedBlocks == [BlockRect(x: side, y: side, width: side, height: side)])
        #expect(report.tamperedBlocks.first?.array == [side, side, side, side])
        #expect(report.blockCount == 6)
        #expect(abs(report.tamperedFraction - 1.0 / 6) < 1e-12)
        // The payload itself is still intact.
        let both = try Watermark.verify(image, key: key)
        #expect(both.payload.payload == [7])
        #expect(both.tamper == report)
    }

    @Test func lowBitNoiseOutsideTagsIsNotTampering() throws {
        let key = Fixtures.key(43)
        var image = Fixtures.couponArt(width: 256, height: 128, format: .rgba8, seed: 3)
        try Watermark.embed([1], into: &image, key: key)
        // Re-marking with another payload rewrites only low bits: the grid still matches.
        try Watermark.embed([2, 3], into: &image, key: key)
        #expect(try Watermark.check(image, key: key).isIntact)
    }

    @Test func edgeBlocksAbsorbTheRemainder() throws {
        let key = Fixtures.key(44)
        let side = Layout.blockSize
        let (w, h) = (3 * side + side / 2 + 3, side + side / 2 + 5)
        var image = TestImages.noise(width: w, height: h, format: .rgb8, seed: 2)
        try Watermark.embed([], into: &image, key: key)
        image[x: w - 1, y: h - 1] = [image[x: w - 1, y: h - 1][0] ^ 0x80, 0, 0]
        let report = try Watermark.check(image, key: key)
        #expect(report.tamperedBlocks == [BlockRect(x: 2 * side, y: 0, width: w - 2 * side, height: h)])
    }
}
