import Foundation
import ImageCore
import ImageFormats
@testable import RobustMark
import Testing
import TestSupport

/// The second generation of the search: the tile grid read from the autocorrelation, then
/// the picture turned upright and square again, for copies whose shorter side no longer
/// means what it did when marked (pasted into a canvas, squeezed, rotated, cropped across
/// it, mirrored).
@Suite struct GridSearchTests {
    static let key = RobustMarkTests.key
    static let id = RobustMarkTests.id
    static let marked = RobustMarkTests.marked

    /// The autocorrelation of a plane that repeats every 24 x 40 samples peaks there, and
    /// those peaks are where `TileLattice.peaks` looks.
    @Test func theAutocorrelationPeaksAtAPlanesPeriod() {
        var random = SplitMix64(seed: 5)
        let tile = (0..<24 * 40).map { _ in Float(Int(random.next() % 9)) - 4 }
        var plane = Plane(width: 150, height: 110)
        for y in 0..<plane.height {
            for x in 0..<plane.width { plane[x: x, y: y] = tile[(y % 40) * 24 + x % 24] }
        }
        let correlation = Autocorrelation(plane)
        #expect(correlation.width >= 300 && correlation.height >= 220)
        #expect(abs(correlation[0, 0] - 1) < 1e-4)
        #expect(correlation[24, 0] > 0.5 && correlation[0, 40] > 0.5 && correlation[24, 40] > 0.3)
        #expect(abs(correlation[11, 0]) < 0.2 && abs(correlation[0, 17]) < 0.2)
        let peaks = TileLattice.peaks(correlation, maxX: 120, maxY: 90)
        #expect(peaks.contains { abs($0.x - 24) < 0.5 && abs($0.y) < 0.5 })
        #expect(peaks.contains { abs($0.x) < 0.5 && abs($0.y - 40) < 0.5 })
    }

    static func whitenedFrame(_ image: PixelBuffer) -> Plane {
        let factor = Double(RobustLayout.detectionShortSide) / Double(min(image.width, image.height))
        return Whitening.whiten(
            Plane(
                luma: image, resampledTo: Int((Double(image.width) * factor).rounded()),
                Int((Double(image.height) * factor).rounded())))
    }

    /// The strongest lattice of a marked coupon, squeezed to 85 % of its height and turned
    /// 4 degrees, is its tile grid so transformed, within half a pixel.
    @Test func theLatticeOfASqueezedTurnedCopyIsItsTileGrid() {
        let squeezed = Self.marked.resized(width: Self.marked.width, height: Self.marked.height * 85 / 100)
        let turned = squeezed.rotated(degrees: 4, fill: [255, 255, 255])
        let lattice = TileLattice.candidates(Self.whitenedFrame(turned), frameFactor: 200 / Double(min(turned.width, turned.height)), limit: 1).first
        // The frame's factor: its shorter side is 200 pixels.
        let factor = 200 / Double(min(turned.width, turned.height))
        // The tile in the marked picture's pixels: 192 frame units of a 400-unit shorter side.
        let side = Double(RobustLayout.cell * RobustLayout.tileCells) * Double(min(Self.marked.width, Self.marked.height))
        let tile = side / Double(RobustLayout.frameShortSide) * factor
        let angle = 4 * Double.pi / 180
        let a = SIMD2(cos(angle), sin(angle)) * tile
        let b = SIMD2(-sin(angle), cos(angle)) * tile * 0.85
        guard let found = lattice else {
            Issue.record("no lattice found")
            return
        }
        let (da, db) = (found.a - a, found.b - b)
        #expect(max(abs(da.x), abs(da.y)) < 0.5, "\(found) vs a = \(a)")
        #expect(max(abs(db.x), abs(db.y)) < 0.5, "\(found) vs b = \(b)")
    }

    /// The copies the grid search reads, by name.
    static func copy(_ name: String, of p: PixelBuffer) -> PixelBuffer {
        switch name {
        case "pasted into a canvas 1.6 times its size":
            p.pasted(into: p.width * 8 / 5, p.height * 8 / 5, at: p.width / 5, p.height / 4, fill: [250, 250, 250])
        case "a quarter cut off the bottom": p.cropped(left: 0, top: 0, right: 0, bottom: p.height / 4)
        case "a quarter cut off the top and left": p.cropped(left: p.width / 4, top: p.height / 4, right: 0, bottom: 0)
        case "turned 5 degrees": p.rotated(degrees: 5, fill: [255, 255, 255])
        case "turned -3 degrees on black": p.rotated(degrees: -3, fill: [0, 0, 0])
        case "height squeezed to 80 %": p.resized(width: p.width, height: p.height * 4 / 5)
        case "width stretched to 120 %": p.resized(width: p.width * 6 / 5, height: p.height)
        case "0.4x": p.resized(by: 0.4)
        case "mirrored": p.mirrored()
        case "mirrored, turned 2 degrees, in a canvas":
            { (turned: PixelBuffer) in
                turned.pasted(into: turned.width * 5 / 4, turned.height * 3 / 2, at: 30, 90, fill: [255, 255, 255])
            }(p.mirrored().rotated(degrees: 2, fill: [255, 255, 255]))
        default: fatalError("no copy named \(name)")
        }
    }

    @Test(arguments: [
        "pasted into a canvas 1.6 times its size", "a quarter cut off the bottom", "a quarter cut off the top and left",
        "turned 5 degrees", "turned -3 degrees on black", "height squeezed to 80 %", "width stretched to 120 %", "0.4x",
        "mirrored", "mirrored, turned 2 degrees, in a canvas",
    ])
    func theIdentifierSurvivesTheGridSearch(_ name: String) throws {
        let found = try #require(RobustMark.detect(Self.copy(name, of: Self.marked), key: Self.key), "\(name): no mark found")
        #expect(found.id == Self.id, "\(name)")
        #expect(found.mirrored == name.hasPrefix("mirrored"), "\(name)")
    }

    /// A phone screenshot: the coupon at 80 % of a 1170 x 2532 screen's width, a status bar,
    /// text lines and a button around it, saved as JPEG 80.
    @Test func aPhoneScreenshotWithTheAppAroundTheCouponReads() throws {
        let screen = PictureCopy.phoneScreen(showing: Self.marked)
        let jpeg = try ImageDecoder().decode(try JPEGEncoder(quality: 80).encode(screen), as: .rgb8).image
        let found = try #require(RobustMark.detect(jpeg, key: Self.key))
        #expect(found.id == Self.id)
    }

    /// Pictures that repeat by themselves (stripes, a checkerboard, a tiled pattern) give
    /// the autocorrelation strong lattices of their own: the pilots and the tag still read
    /// them as unmarked, and reading a marked copy under another key finds nothing either.
    @Test func repeatingPicturesAndOtherKeysReadAsNone() {
        var random = SplitMix64(seed: 9)
        let motif = (0..<48 * 48).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        var patterns: [PixelBuffer] = []
        for period in [40, 48, 96] {
            var image = PixelBuffer(width: 800, height: 400, format: .rgb8)
            for y in 0..<400 {
                for x in 0..<800 {
                    let v = (x / (period / 2) + y / (period / 2)) % 2 == 0 ? 230 : 40
                    let m = motif[(y % 48) * 48 + x % 48] / 16
                    for c in 0..<3 { image.bytes[(y * 800 + x) * 3 + c] = UInt8(v) &+ m }
                }
            }
            patterns.append(image)
        }
        for pattern in patterns { #expect(RobustMark.detect(pattern, key: Self.key) == nil) }
        #expect(RobustMark.detect(Self.marked.rotated(degrees: 3, fill: [255, 255, 255]), key: RobustKey()) == nil)
    }

    /// Reading under several keys finds the one the picture was marked under, through the
    /// whole-frame fold and through the grid search alike.
    @Test func severalKeysShareOneSearch() throws {
        let keys = [RobustKey(), Self.key, RobustKey()]
        let found = try #require(RobustMark.detect(Self.marked, keys: keys))
        #expect(found.index == 1 && found.detection.id == Self.id)
        let turned = Self.marked.rotated(degrees: -2, fill: [255, 255, 255])
        let search = try #require(RobustMark.detect(turned, keys: keys))
        #expect(search.index == 1 && search.detection.id == Self.id)
        #expect(RobustMark.detect(turned, keys: [RobustKey(), RobustKey()]) == nil)
        #expect(RobustMark.detect(turned, keys: []) == nil)
    }

    /// However many lattices a picture offers, at most `maxDecodes` tags are checked (the
    /// bound on reading an unmarked picture as marked: below 2^-32), here on pictures
    /// whose own repeats and noise offer lattices and pilots above chance.
    @Test func theSearchIsBoundedByItsDecodeBudget() {
        #expect(Double(RobustDetector.maxDecodes) * pow(2, -Double(RobustLayout.tagBits)) < pow(2, -32))
        var random = SplitMix64(seed: 21)
        var most = 0
        for seed in 0..<12 {
            var image = PixelBuffer(width: 640, height: 360, format: .rgb8)
            let period = 30 + 7 * seed
            for i in 0..<image.bytes.count {
                let x = (i / 3) % 640, y = (i / 3) / 640
                image.bytes[i] = UInt8(truncatingIfNeeded: (x % period < 3 || y % period < 3 ? 40 : 200) + Int(random.next() % 9))
            }
            var decodes: [Int] = []
            #expect(RobustDetector.detect(image, keys: [Self.key, RobustKey()], decodes: &decodes) == nil)
            #expect(decodes.allSatisfy { $0 <= RobustDetector.maxDecodes })
            most = max(most, decodes.max() ?? 0)
        }
        print("GridSearchTests: at most \(most) decodes per picture (budget \(RobustDetector.maxDecodes))")
    }
}

extension GridSearchTests {
    /// Detections on several threads at once (a server's verifier pool) agree with one
    /// alone: FFTW's planner is serialised, its transforms run side by side.
    @Test func concurrentSearchesAgree() async {
        let copies = ["turned 5 degrees", "pasted into a canvas 1.6 times its size", "mirrored", "0.4x"]
            .map { Self.copy($0, of: Self.marked) }
        let alone = copies.map { RobustMark.detect($0, key: Self.key)?.id }
        #expect(alone.allSatisfy { $0 == Self.id })
        let together = await withTaskGroup(of: (Int, UInt64?).self) { group in
            for round in 0..<16 {
                let copy = copies[round % copies.count]
                group.addTask { (round % copies.count, RobustMark.detect(copy, key: Self.key)?.id) }
            }
            var results: [(Int, UInt64?)] = []
            for await result in group { results.append(result) }
            return results
        }
        #expect(together.count == 16)
        for (index, id) in together { #expect(id == alone[index], "copy \(index)") }
    }
}
