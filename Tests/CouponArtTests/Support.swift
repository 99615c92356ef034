import CouponArt
import ImageCore

enum Fixture {
    static let spec = CouponArtSpec(
        title: "Winter Sale", productName: "Barista Espresso Machine · 1.8 L", validFrom: "2026-12-01",
        validUntil: "2027-01-31", serial: "CPN-2026-000123")

    /// A busy, odd-sized stand-in for a merchant's `--art` picture: stripes and discs
    /// (tools/make_pictures.py draws the same one for fixtures/art).
    static func merchantArt(width: Int, height: Int) -> PixelBuffer {
        var image = PixelBuffer(width: width, height: height, format: .rgb8)
        for y in 0..<height {
            for x in 0..<width {
                let band = ((x + y) / 23) % 3
                let base: [UInt8] = band == 0 ? [233, 87, 60] : band == 1 ? [250, 190, 70] : [40, 120, 170]
                let dx = x - width / 3, dy = y - height / 2
                let inDisc = dx * dx + dy * dy < (height / 3) * (height / 3)
                image[x: x, y: y] = inDisc ? [255, 255, 255 - UInt8(y % 64)] : base
            }
        }
        return image
    }

    /// Number of pixels that differ between two same-sized images inside `rect`.
    static func changedPixels(_ a: PixelBuffer, _ b: PixelBuffer, in rect: Rect) -> Int {
        var n = 0
        for y in rect.y..<rect.maxY {
            for x in rect.x..<rect.maxX where a[x: x, y: y] != b[x: x, y: y] { n += 1 }
        }
        return n
    }
}
