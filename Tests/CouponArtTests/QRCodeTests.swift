import CouponArt
import ImageCore
import Testing

@Suite struct QRCodeTests {
    /// The 7x7 finder pattern: dark ring, light ring, dark 3x3 core.
    static func finderExpected(_ x: Int, _ y: Int) -> Bool {
        let d = max(abs(x - 3), abs(y - 3))
        return d != 2
    }

    @Test func finderPatternsSitInThreeCorners() throws {
        let qr = try QRCode(encoding: "CPN-2026-000123")
        #expect(qr.size >= 21)
        #expect((qr.size - 17) % 4 == 0)
        #expect(qr.modules.count == qr.size * qr.size)
        let n = qr.size
        for (ox, oy) in [(0, 0), (n - 7, 0), (0, n - 7)] {
            for y in 0..<7 {
                for x in 0..<7 { #expect(qr[ox + x, oy + y] == Self.finderExpected(x, y), "finder at \(ox),\(oy)") }
            }
        }
        // Separators are light, and there is no finder in the fourth corner.
        for i in 0..<8 {
            #expect(!qr[7, i])
            #expect(!qr[i, 7])
        }
        var bottomRightMatches = true
        for y in 0..<7 {
            for x in 0..<7 where qr[n - 7 + x, n - 7 + y] != Self.finderExpected(x, y) { bottomRightMatches = false }
        }
        #expect(!bottomRightMatches)
        // Timing pattern between the top finders alternates.
        for x in 8..<(n - 8) { #expect(qr[x, 6] == (x % 2 == 0)) }
    }

    @Test func differentTextGivesDifferentModules() throws {
        let a = try QRCode(encoding: "CPN-2026-000123")
        let b = try QRCode(encoding: "CPN-2026-000124")
        let a2 = try QRCode(encoding: "CPN-2026-000123")
        #expect(a == a2)
        #expect(a.size == b.size)
        #expect(a.modules != b.modules)
        let longer = try QRCode(encoding: String(repeating: "X", count: 80))
        #expect(longer.size > a.size)
    }

    @Test func drawsCrispSquaresWithQuietZone() throws {
        let qr = try QRCode(encoding: "SERIAL-42")
        let module = 3, quiet = 4
        var image = PixelBuffer(width: 200, height: 200, format: .rgb8, fill: 128)
        let box = qr.draw(on: &image, x: 10, y: 12, moduleSize: module, quietZone: quiet)
        #expect(box == Rect(x: 10, y: 12, width: (qr.size + 8) * module, height: (qr.size + 8) * module))
        // Only pure black and white inside the box; the grey outside is untouched.
        for y in box.y..<box.maxY {
            for x in box.x..<box.maxX {
                let p = image[x: x, y: y]
                #expect(p == [0, 0, 0] || p == [255, 255, 255])
                let mx = (x - box.x) / module - quiet, my = (y - box.y) / module - quiet
                let dark = mx >= 0 && my >= 0 && mx < qr.size && my < qr.size && qr[mx, my]
                #expect(p == (dark ? [0, 0, 0] : [255, 255, 255]))
            }
        }
        #expect(image[x: 9, y: 12] == [128, 128, 128])
        #expect(image[x: box.maxX, y: box.maxY] == [128, 128, 128])
    }

    @Test func emptyTextIsATypedError() {
        #expect(throws: ArtError.self) { try QRCode(encoding: "") }
    }
}
