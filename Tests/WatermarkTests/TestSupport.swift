import ImageCore
import TestSupport

@testable import Watermark

enum Fixtures {
    static func key(_ seed: UInt64) -> WatermarkKey {
        var rng = SplitMix64(seed: seed)
        return try! WatermarkKey(bytes: rng.bytes(32))
    }

    /// Flat coupon-like art: a background, a few flat bands and boxes, a disc, and rows of
    /// blocky "glyphs" (random 5x7 bitmaps scaled up), all in a handful of flat colours.
    static func couponArt(width: Int, height: Int, format: PixelFormat, seed: UInt64) -> PixelBuffer {
        var rng = SplitMix64(seed: seed)
        let palette: [[UInt8]] = [
            [250, 246, 235], [200, 30, 45], [20, 60, 130], [240, 180, 20], [30, 30, 30], [255, 255, 255],
        ]
        var image = PixelBuffer(width: width, height: height, format: format)
        func fill(_ x0: Int, _ y0: Int, _ w: Int, _ h: Int, _ colour: [UInt8]) {
            for y in max(0, y0)..<min(height, y0 + h) {
                for x in max(0, x0)..<min(width, x0 + w) {
                    let o = image.offset(x: x, y: y)
                    for c in 0..<3 { image.bytes[o + c] = colour[c] }
                    if format == .rgba8 { image.bytes[o + 3] = 255 }
                }
            }
        }
        fill(0, 0, width, height, palette[0])
        fill(0, 0, width, height / 6, palette[1])
        fill(0, height - height / 8, width, height / 8, palette[2])
        fill(width * 2 / 3, height / 4, width / 4, height / 2, palette[3])
        // A disc.
        let cx = width / 5
        let cy = height / 2
        let r = min(width, height) / 6
        for y in max(0, cy - r)..<min(height, cy + r) {
            for x in max(0, cx - r)..<min(width, cx + r) where (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r {
                let o = image.offset(x: x, y: y)
                for c in 0..<3 { image.bytes[o + c] = palette[1][c] }
            }
        }
        // Text-like lines of glyphs.
        let scale = 4
        var y = height / 6 + 12
        var line = 0
        while y + 7 * scale < height - height / 8 - 8, line < 4 {
            var x = width / 3
            let colour = palette[line % 2 == 0 ? 4 : 2]
            while x + 5 * scale < width * 2 / 3 - 4 {
                for gy in 0..<7 {
                    for gx in 0..<5 where rng.next() & 1 == 1 {
                        fill(x + gx * scale, y + gy * scale, scale, scale, colour)
                    }
                }
                x += 6 * scale
            }
            y += 9 * scale
            line += 1
        }
        return image
    }

    /// Paints a `w` x `h` rectangle at (x, y) with one colour (alpha left alone).
    static func paint(_ image: inout PixelBuffer, x: Int, y: Int, w: Int, h: Int, colour: [UInt8]) {
        for yy in y..<min(image.height, y + h) {
            for xx in x..<min(image.width, x + w) {
                let o = image.offset(x: xx, y: yy)
                for c in 0..<3 { image.bytes[o + c] = colour[c] }
            }
        }
    }

    /// Flips the LSB of each colour channel independently with probability `rate`; returns the count.
    @discardableResult
    static func flipLSBs(_ image: inout PixelBuffer, rate: Double, rng: inout SplitMix64) -> Int {
        let threshold = UInt64(rate * 18_446_744_073_709_551_615.0)
        var flipped = 0
        let ch = image.format.channels
        for i in 0..<image.bytes.count where i % ch < 3 && rng.next() < threshold {
            image.bytes[i] ^= 1
            flipped += 1
        }
        return flipped
    }
}
