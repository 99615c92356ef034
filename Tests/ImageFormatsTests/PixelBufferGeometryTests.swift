import ImageCore
import Testing

/// `PixelBuffer`'s geometry (`rotated`, `mirrored`, `pasted`, `fill`): the pictures the
/// robust trial makes of a coupon.
@Suite struct PixelBufferGeometryTests {
    /// A `width` x `height` picture whose every sample differs from its neighbours'.
    static func pattern(width: Int, height: Int, format: PixelFormat = .rgb8) -> PixelBuffer {
        var image = PixelBuffer(width: width, height: height, format: format)
        for i in image.bytes.indices { image.bytes[i] = UInt8(truncatingIfNeeded: i &* 37 &+ i / 7) }
        return image
    }

    @Test func rotatingByZeroKeepsSizeAndPixels() {
        let image = Self.pattern(width: 31, height: 17)
        let turned = image.rotated(degrees: 0, fill: [1, 2, 3])
        #expect(turned.width == 31 && turned.height == 17)
        #expect(zip(turned.bytes, image.bytes).allSatisfy { abs(Int($0) - Int($1)) <= 1 })
    }

    @Test func aQuarterTurnClockwiseTakesTheTopLeftCornerToTheTopRight() {
        var image = PixelBuffer(width: 40, height: 20, format: .rgb8, fill: 128)
        image[x: 0, y: 0] = [255, 0, 0]
        image[x: 39, y: 19] = [0, 0, 255]
        let turned = image.rotated(degrees: 90, fill: [0, 0, 0])
        #expect(turned.width == 20 && turned.height == 40)
        #expect(turned[x: 19, y: 0].elementsEqual([255, 0, 0]) { abs(Int($0) - Int($1)) <= 1 })
        #expect(turned[x: 0, y: 39].elementsEqual([0, 0, 255]) { abs(Int($0) - Int($1)) <= 1 })
        #expect(turned[x: 10, y: 20].elementsEqual([128, 128, 128]) { abs(Int($0) - Int($1)) <= 1 })
        // And back: a quarter turn the other way restores every pixel.
        let back = turned.rotated(degrees: -90, fill: [0, 0, 0])
        #expect(back.width == 40 && back.height == 20)
        #expect(zip(back.bytes, image.bytes).allSatisfy { abs(Int($0) - Int($1)) <= 1 })
    }

    @Test func aSmallTurnGrowsTheCanvasAndFillsTheCorners() {
        let image = PixelBuffer(width: 200, height: 100, format: .rgb8, fill: 100)
        let turned = image.rotated(degrees: 5, fill: [255, 255, 255])
        // 200 cos 5° + 100 sin 5° = 207.95, 200 sin 5° + 100 cos 5° = 117.05.
        #expect(turned.width == 208 && turned.height == 118)
        #expect(turned[x: 0, y: 0] == [255, 255, 255])
        #expect(turned[x: 104, y: 59] == [100, 100, 100])
    }

    @Test func mirroringTwiceGivesTheOriginal() {
        let image = Self.pattern(width: 13, height: 5)
        let mirrored = image.mirrored()
        #expect(mirrored != image)
        #expect(mirrored[x: 12, y: 3] == image[x: 0, y: 3])
        #expect(mirrored.mirrored() == image)
    }

    @Test func pastingPlacesThePictureAndFillsTheRest() {
        let image = Self.pattern(width: 6, height: 4)
        let canvas = image.pasted(into: 20, 10, at: 3, 5, fill: [9, 8, 7])
        #expect(canvas.width == 20 && canvas.height == 10)
        for y in 0..<10 {
            for x in 0..<20 {
                let inside = (3..<9).contains(x) && (5..<9).contains(y)
                #expect(canvas[x: x, y: y] == (inside ? image[x: x - 3, y: y - 5] : [9, 8, 7]), "(\(x), \(y))")
            }
        }
        // Partly outside: clipped.
        let clipped = image.pasted(into: 4, 4, at: -2, 2, fill: [0, 0, 0])
        #expect(clipped[x: 0, y: 2] == image[x: 2, y: 0])
        #expect(clipped[x: 3, y: 3] == image[x: 5, y: 1])
        #expect(clipped[x: 0, y: 1] == [0, 0, 0])
    }

    @Test func fillingPaintsOnlyInsideThePicture() {
        let image = PixelBuffer(width: 10, height: 10, format: .rgb8)
        let filled = image.filled(PixelRect(x: 8, y: -3, width: 5, height: 5), with: [1, 2, 3])
        #expect(filled[x: 9, y: 1] == [1, 2, 3])
        #expect(filled[x: 8, y: 0] == [1, 2, 3])
        #expect(filled[x: 7, y: 0] == [0, 0, 0])
        #expect(filled[x: 9, y: 2] == [0, 0, 0])
        #expect(image.filled(PixelRect(x: 20, y: 20, width: 3, height: 3), with: [1, 2, 3]) == image)
    }

    @Test func rgbaKeepsItsFourChannels() {
        let image = Self.pattern(width: 8, height: 6, format: .rgba8)
        let turned = image.rotated(degrees: 30, fill: [0, 0, 0, 0])
        #expect(turned.format == .rgba8 && turned.bytes.count == turned.pixelCount * 4)
        #expect(turned[x: 0, y: 0] == [0, 0, 0, 0])
        #expect(image.mirrored().format == .rgba8)
        #expect(image.mirrored().mirrored() == image)
        let pasted = image.pasted(into: 12, 9, at: 2, 1, fill: [255, 255, 255, 0])
        #expect(pasted.format == .rgba8)
        #expect(pasted[x: 0, y: 0] == [255, 255, 255, 0])
        #expect(pasted[x: 2, y: 1] == image[x: 0, y: 0])
        #expect(image.filled(PixelRect(x: 0, y: 0, width: 2, height: 2), with: [1, 2, 3, 4])[x: 1, y: 1] == [1, 2, 3, 4])
    }
}
