import ImageCore
import TestSupport

@testable import Watermark

/// RGBA test pictures with transparency, and what viewers and optimisers do to them.
enum TransparentImages {
    /// Coupon-like RGBA art cut to a rounded card: pixels outside a rounded rectangle
    /// (corner radius `radius`) are fully transparent, with their colour left as drawn; a
    /// band `border` pixels wide just inside the outline is semi-transparent (alpha drawn
    /// from 40...220 by the seed); everything else is opaque.
    static func roundedCard(width: Int, height: Int, radius: Int = 40, border: Int = 3, seed: UInt64) -> PixelBuffer {
        var image = Fixtures.couponArt(width: width, height: height, format: .rgba8, seed: seed)
        var rng = SplitMix64(seed: seed ^ 0xA1FA)
        for y in 0..<height {
            for x in 0..<width {
                let inside = insideDistance(x: x, y: y, width: width, height: height, radius: radius)
                let o = image.offset(x: x, y: y) + 3
                if inside < 0 {
                    image.bytes[o] = 0
                } else if inside < border {
                    image.bytes[o] = UInt8(40 + rng.next() % 181)
                } else {
                    image.bytes[o] = 255
                }
            }
        }
        return image
    }

    /// Distance (pixels, rounded down) of the pixel centre inside the rounded outline;
    /// negative outside.
    static func insideDistance(x: Int, y: Int, width: Int, height: Int, radius: Int) -> Int {
        let px = Double(x) + 0.5
        let py = Double(y) + 0.5
        let straight = min(min(px, Double(width) - px), min(py, Double(height) - py))
        let cx = min(max(px, Double(radius)), Double(width - radius))
        let cy = min(max(py, Double(radius)), Double(height - radius))
        let dx = px - cx
        let dy = py - cy
        guard dx != 0 && dy != 0 else { return Int(straight.rounded(.down)) }
        let d = Double(radius) - (dx * dx + dy * dy).squareRoot()
        return Int(d.rounded(.down))
    }

    /// Composites straight-alpha `image` over the opaque colour `background`
    /// (`c' = (c * a + bg * (255 - a) + 127) / 255`) and sets alpha to 255: what a viewer
    /// shows, and what "flatten" in an editor saves.
    static func flattened(_ image: PixelBuffer, over background: [UInt8]) -> PixelBuffer {
        var out = image
        for p in 0..<image.pixelCount {
            let a = Int(image.bytes[p * 4 + 3])
            for c in 0..<3 {
                let v = Int(image.bytes[p * 4 + c]) * a + Int(background[c]) * (255 - a) + 127
                out.bytes[p * 4 + c] = UInt8(v / 255)
            }
            out.bytes[p * 4 + 3] = 255
        }
        return out
    }

    /// Alpha set to 255 everywhere, colour untouched.
    static func opaque(_ image: PixelBuffer) -> PixelBuffer {
        var out = image
        for p in 0..<image.pixelCount { out.bytes[p * 4 + 3] = 255 }
        return out
    }

    /// RGB set to 0 where alpha is 0 (a common PNG optimiser step).
    static func zeroingTransparentColour(_ image: PixelBuffer) -> PixelBuffer {
        var out = image
        for p in 0..<image.pixelCount where image.bytes[p * 4 + 3] == 0 {
            for c in 0..<3 { out.bytes[p * 4 + c] = 0 }
        }
        return out
    }

    /// Paints a `w` x `h` rectangle at (x, y) with one opaque colour (alpha 255).
    static func paintOpaque(_ image: inout PixelBuffer, x: Int, y: Int, w: Int, h: Int, colour: [UInt8]) {
        Fixtures.paint(&image, x: x, y: y, w: w, h: h, colour: colour)
        for yy in y..<min(image.height, y + h) {
            for xx in x..<min(image.width, x + w) { image.bytes[image.offset(x: xx, y: yy) + 3] = 255 }
        }
    }

    /// Indices of the digest-grid blocks that hold at least one pixel matching `predicate`
    /// (given the pixel's offset in `image.bytes`).
    static func blocks(of image: PixelBuffer, where predicate: (Int) -> Bool) -> Set<Int> {
        let g = Geometry(image)
        var out = Set<Int>()
        for y in 0..<image.height {
            for x in 0..<image.width where predicate(image.offset(x: x, y: y)) {
                let bx = min(x / Layout.blockSize, g.blocksX - 1)
                out.insert(g.blockRow(ofPixelRow: y) * g.blocksX + bx)
            }
        }
        return out
    }

    /// The block indices of a tamper report.
    static func indices(_ report: TamperReport, in image: PixelBuffer) -> Set<Int> {
        let g = Geometry(image)
        return Set(report.tamperedBlocks.map { ($0.y / Layout.blockSize) * g.blocksX + $0.x / Layout.blockSize })
    }
}
