@testable import CouponArt
import ImageCore
import Testing

@Suite struct TerminalPreviewTests {
    @Test(arguments: [40, 80, 123])
    func colourPreviewHasTheRequestedWidth(columns: Int) throws {
        let coupon = try CouponArtwork().render(Fixture.spec)
        let text = TerminalPreview.render(image: coupon.image, columns: columns, colour: true)
        let lines = text.split(separator: "\n")
        // 800x400 at `columns` square pixels is columns/2 pixel rows, two per text row.
        #expect(lines.count == (columns / 2 + 1) / 2)
        for line in lines {
            #expect(TerminalPreview.visibleWidth(line) == columns)
            #expect(line.hasSuffix("\u{1B}[0m"))
            #expect(line.contains("▀"))
        }
        #expect(text.contains("\u{1B}[38;2;"))
        #expect(text.contains("\u{1B}[48;2;"))
    }

    @Test func plainPreviewHasNoEscapes() throws {
        let coupon = try CouponArtwork().render(Fixture.spec)
        let text = TerminalPreview.render(image: coupon.image, columns: 72, colour: false)
        #expect(!text.contains("\u{1B}"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 18)
        for line in lines {
            #expect(line.count == 72)
            #expect(line.allSatisfy { TerminalPreview.ramp.contains($0) })
        }
        // Both paper and ink show up.
        #expect(text.contains("@"))
        #expect(text.contains(" "))
    }

    @Test func colourComesFromAreaAverages() {
        // Top half red, bottom half blue, 4x4 -> 1 column x 1 row: fg red, bg blue.
        var image = PixelBuffer(width: 4, height: 4, format: .rgb8)
        image.fill(Rect(x: 0, y: 0, width: 4, height: 2), with: RGBColor(r: 255, g: 0, b: 0))
        image.fill(Rect(x: 0, y: 2, width: 4, height: 2), with: RGBColor(r: 0, g: 0, b: 255))
        let text = TerminalPreview.render(image: image, columns: 2, colour: true)
        #expect(text == "\u{1B}[38;2;255;0;0m\u{1B}[48;2;0;0;255m▀▀\u{1B}[0m\n")
        // A 2x2 checkerboard averages to grey.
        var checker = PixelBuffer(width: 2, height: 2, format: .rgb8)
        checker[x: 0, y: 0] = [255, 255, 255]
        checker[x: 1, y: 1] = [255, 255, 255]
        #expect(TerminalPreview.downscale(checker, width: 1, height: 1)[0] == (128, 128, 128))
    }

    @Test func terminalColumnsFallsBack() {
        #expect(TerminalPreview.columns(windowColumns: 132, environment: ["COLUMNS": "90"]) == 132)
        #expect(TerminalPreview.columns(windowColumns: nil, environment: ["COLUMNS": "90"]) == 90)
        #expect(TerminalPreview.columns(windowColumns: nil, environment: ["COLUMNS": "junk"]) == 80)
        #expect(TerminalPreview.columns(windowColumns: nil, environment: [:]) == 80)
        #expect(TerminalPreview.terminalColumns() > 0)
    }
}
