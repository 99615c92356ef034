import CouponArt
import ImageCore
import Testing

/// Tampered blocks are outlined as merged regions, not box by box.
@Suite struct TamperOutlineTests {
    /// The pixels `outline` paints on a blank `width` x `height` image.
    static func painted(_ outline: TamperOutline, width: Int, height: Int) -> Set<[Int]> {
        var image = PixelBuffer(width: width, height: height, format: .rgb8)
        for stroke in outline.strokes { image.fill(stroke, with: .white) }
        var out = Set<[Int]>()
        for y in 0..<height {
            for x in 0..<width where image[x: x, y: y][0] == 255 { out.insert([x, y]) }
        }
        return out
    }

    /// The definition: a pixel of the union within Chebyshev distance `width` of a pixel
    /// outside it (or of the image edge) is on the outline.
    static func expected(_ blocks: [Rect], width: Int, height: Int, lineWidth: Int = 2) -> Set<[Int]> {
        func inside(_ x: Int, _ y: Int) -> Bool { blocks.contains { $0.contains(x: x, y: y) } }
        var out = Set<[Int]>()
        for y in 0..<height {
            for x in 0..<width where inside(x, y) {
                var edge = false
                for dy in -lineWidth...lineWidth where !edge {
                    for dx in -lineWidth...lineWidth where max(abs(dx), abs(dy)) <= lineWidth && !inside(x + dx, y + dy) {
                        edge = true
                    }
                }
                if edge { out.insert([x, y]) }
            }
        }
        return out
    }

    @Test func twoAdjacentBlocksGiveOneRectangleWithoutAnInternalEdge() {
        let blocks = [Rect(x: 8, y: 8, width: 16, height: 16), Rect(x: 24, y: 8, width: 16, height: 16)]
        let outline = TamperOutline(blocks: blocks)
        #expect(outline.regions.count == 1)
        var union = PixelBuffer(width: 48, height: 32, format: .rgb8)
        union.stroke(Rect(x: 8, y: 8, width: 32, height: 16), with: .white, lineWidth: 2)
        var drawn = PixelBuffer(width: 48, height: 32, format: .rgb8)
        for stroke in outline.strokes { drawn.fill(stroke, with: .white) }
        #expect(drawn == union)
        // Nothing on the shared edge x = 22...25 away from the top and bottom lines.
        for y in 10..<22 {
            for x in 22..<26 { #expect(drawn[x: x, y: y] == [0, 0, 0], "(\(x), \(y))") }
        }
    }

    @Test func blocksTouchingAtACornerAreTwoRegions() {
        let outline = TamperOutline(blocks: [Rect(x: 0, y: 0, width: 8, height: 8), Rect(x: 8, y: 8, width: 8, height: 8)])
        #expect(outline.regions.count == 2)
    }

    @Test func anLShapeIsClosedAtItsInnerCorner() {
        let blocks = [
            Rect(x: 4, y: 4, width: 10, height: 10), Rect(x: 4, y: 14, width: 10, height: 10),
            Rect(x: 14, y: 14, width: 10, height: 10),
        ]
        let outline = TamperOutline(blocks: blocks)
        #expect(outline.regions.count == 1)
        #expect(Self.painted(outline, width: 30, height: 30) == Self.expected(blocks, width: 30, height: 30))
        #expect(Self.painted(outline, width: 30, height: 30).contains([12, 14]), "inner corner square")
    }

    @Test func randomGridUnionsMatchTheDefinition() {
        var state: UInt64 = 11  // a seeded LCG
        for trial in 0..<40 {
            // Blocks of a 6x4 grid of 8-pixel cells with an uneven last column and row,
            // like the watermark's tamper grid; one pixel of margin keeps them off the edge.
            let xs = [1, 9, 17, 25, 33, 41, 52], ys = [1, 9, 17, 25, 36]
            var blocks: [Rect] = []
            for r in 0..<4 {
                for c in 0..<6 {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    guard (state >> 33) % 5 < 2 else { continue }
                    blocks.append(Rect(x: xs[c], y: ys[r], width: xs[c + 1] - xs[c], height: ys[r + 1] - ys[r]))
                }
            }
            let outline = TamperOutline(blocks: blocks)
            #expect(Self.painted(outline, width: 54, height: 38) == Self.expected(blocks, width: 54, height: 38),
                    "trial \(trial): \(blocks)")
        }
    }

    @Test func revealDrawsTheMergedOutline() throws {
        let art = try CouponArtwork()
        let coupon = try art.render(Fixture.spec)
        let blocks = [Rect(x: 64, y: 192, width: 64, height: 64), Rect(x: 128, y: 192, width: 64, height: 64)]
        let revealed = try art.drawRevealed(
            on: coupon.image, panel: Rect(x: 0, y: 0, width: 0, height: 0), headline: "", subline: "",
            tamperedBlocks: blocks)
        let red: [UInt8] = [RGBColor.alertRed.r, RGBColor.alertRed.g, RGBColor.alertRed.b]
        #expect(revealed[x: 64, y: 200] == red && revealed[x: 191, y: 200] == red)
        #expect(revealed[x: 100, y: 192] == red && revealed[x: 160, y: 255] == red)
        for y in 200..<248 {
            for x in 126..<130 { #expect(revealed[x: x, y: y] == coupon.image[x: x, y: y], "(\(x), \(y))") }
        }
    }
}
