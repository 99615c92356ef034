import CouponArt
import Foundation
import ImageCore
import TestSupport
import Testing

@Suite struct TextRendererTests {
    @Test func textChangesPixelsWithAntialiasing() throws {
        let text = try TextRenderer()
        let blank = PixelBuffer(width: 300, height: 80, format: .rgb8, fill: 255)
        var image = blank
        let box = try text.draw("Valid €5 % déjà", on: &image, x: 10, baseline: 50, style: .regular, pixelSize: 28,
                                color: .black)
        #expect(box.width > 100)
        let changed = Fixture.changedPixels(blank, image, in: Rect(x: 0, y: 0, width: 300, height: 80))
        #expect(changed > 300)
        // Everything drawn lies in the returned box (glyphs may overhang it by a pixel or two).
        #expect(Fixture.changedPixels(blank, image, in: Rect(x: box.maxX + 3, y: 0, width: 300 - box.maxX - 3,
                                                            height: 80)) == 0)
        // Antialiased: grey values between black and white are present, and so are full blacks.
        let values = Set(image.bytes)
        #expect(values.contains(0))
        #expect(values.contains { $0 > 40 && $0 < 215 })
        #expect(values.count > 20)
    }

    @Test func colourIsBlendedNotReplaced() throws {
        let text = try TextRenderer()
        var image = PixelBuffer(width: 120, height: 60, format: .rgb8, fill: 255)
        try text.draw("OFF", on: &image, x: 5, baseline: 45, style: .bold, pixelSize: 40, color: RGBColor(hex: 0xFF0000))
        // Red over white: red stays 255, green and blue go from 255 down to 0, equal to each other.
        for i in stride(from: 0, to: image.bytes.count, by: 3) {
            #expect(image.bytes[i] == 255)
            #expect(image.bytes[i + 1] == image.bytes[i + 2])
        }
        #expect(image.bytes.contains(0))
    }

    @Test func widerStringsMeasureWider() throws {
        let text = try TextRenderer()
        let one = try text.measure("15%", style: .bold, pixelSize: 32)
        let two = try text.measure("15% OFF", style: .bold, pixelSize: 32)
        let big = try text.measure("15% OFF", style: .bold, pixelSize: 64)
        #expect(one.width > 0)
        #expect(two.width > one.width)
        #expect(big.width > two.width * 3 / 2)
        #expect(big.height > two.height)
        #expect(try text.measure("", style: .regular, pixelSize: 20).width == 0)
        // Monospace: every character advances the same.
        let mono1 = try text.measure("iiii", style: .mono, pixelSize: 20).width
        let mono2 = try text.measure("WWWW", style: .mono, pixelSize: 20).width
        #expect(mono1 == mono2)
    }

    @Test func alignmentPlacesTheBox() throws {
        let text = try TextRenderer()
        var image = PixelBuffer(width: 400, height: 60, format: .rgb8, fill: 255)
        let width = try text.measure("Member", style: .bold, pixelSize: 24).width
        let centred = try text.draw("Member", on: &image, x: 200, baseline: 40, style: .bold, pixelSize: 24,
                                    color: .black, alignment: .center)
        #expect(centred.x == 200 - width / 2)
        let right = try text.draw("Member", on: &image, x: 390, baseline: 40, style: .bold, pixelSize: 24,
                                  color: .black, alignment: .right)
        #expect(right.maxX == 390)
    }

    @Test func coversLatin1EuroAndPercent() throws {
        let text = try TextRenderer()
        for scalar in "€%éüßñÅ–·★✂⚠".unicodeScalars {
            #expect(text.hasGlyph(scalar, style: .regular), "no glyph for \(scalar)")
        }
        for scalar in "€%0123456789-".unicodeScalars {
            #expect(text.hasGlyph(scalar, style: .monoBold))
        }
    }

    @Test func fittingSizeFits() throws {
        let text = try TextRenderer()
        let size = try text.fittingSize("MEMBER DISCOUNT INSIDE", style: .bold, width: 200, maxSize: 80)
        #expect(try text.measure("MEMBER DISCOUNT INSIDE", style: .bold, pixelSize: size).width <= 200)
        #expect(try text.measure("MEMBER DISCOUNT INSIDE", style: .bold, pixelSize: size + 1).width > 200)
    }

    @Test func missingFontDirectoryIsATypedError() throws {
        let dir = "/nonexistent/couponmark-fonts"
        #expect(throws: ArtError.fontNotFound(path: dir + "/DejaVuSans.ttf")) { try TextRenderer(fontDirectory: dir) }
        #expect(throws: ArtError.fontNotFound(path: dir + "/DejaVuSans.ttf")) { try CouponArtwork(fontDirectory: dir) }
        #expect(FontLocation.directory(environment: ["COUPONMARK_FONT_DIR": dir]) == dir)
        #expect(FontLocation.directory(environment: [:]) == FontLocation.defaultDirectory)
    }

    @Test func fontDirectoryOverrideLoads() throws {
        // A directory of copies works like the default one.
        let dir = try TestFiles.temporaryDirectory(prefix: "couponmark-fonts")
        defer { try? FileManager.default.removeItem(at: dir) }
        for style in FontStyle.allCases {
            try FileManager.default.copyItem(
                atPath: FontLocation.defaultDirectory + "/" + style.fileName,
                toPath: dir.appendingPathComponent(style.fileName).path)
        }
        let text = try TextRenderer(fontDirectory: dir.path)
        #expect(text.fontDirectory == dir.path)
        #expect(try text.measure("ok", style: .regular, pixelSize: 12).width > 0)
    }

    @Test func renderersOnManyTasksAgree() async throws {
        let reference = try Self.sample()
        try await withThrowingTaskGroup(of: PixelBuffer.self) { group in
            for _ in 0..<8 { group.addTask { try Self.sample() } }
            for try await image in group { #expect(image == reference) }
        }
    }

    static func sample() throws -> PixelBuffer {
        let text = try TextRenderer()
        var image = PixelBuffer(width: 200, height: 40, format: .rgb8, fill: 255)
        for size in [12, 18, 24] {
            try text.draw("€12.50 · 15%", on: &image, x: 4, baseline: 30, style: .bold, pixelSize: size, color: .black)
        }
        return image
    }
}
