import Foundation
import ImageCore
import ImageFormats

/// One way a picture travels in the robust trial: what it is called (with its
/// parameters) and the change itself. The static functions are the building blocks the
/// families (`RobustTrialFamily`) are made of.
struct TrialTransformation: Sendable {
    let name: String
    let apply: @Sendable (PixelBuffer) throws -> PixelBuffer

    /// A JPEG round trip at `q`.
    static func jpeg(_ q: Int) -> @Sendable (PixelBuffer) throws -> PixelBuffer {
        { try ImageDecoder().decode(try JPEGEncoder(quality: q).encode($0), as: .rgb8).image }
    }
    /// A WebP round trip at `q`.
    static func webp(_ q: Int) -> @Sendable (PixelBuffer) throws -> PixelBuffer {
        { try ImageDecoder().decode(try WebPEncoder(quality: q).encode($0), as: .rgb8).image }
    }
    /// Resized by `f` both ways.
    static func scale(_ f: Double) -> @Sendable (PixelBuffer) -> PixelBuffer {
        { scaled($0, x: f, y: f) }
    }
    /// Off the left, top, right and bottom, as fractions of the width and height.
    static func crop(_ l: Double, _ t: Double, _ r: Double, _ b: Double) -> @Sendable (PixelBuffer) -> PixelBuffer {
        { cropped($0, l, t, r, b) }
    }

    /// `image` resized by `x` across and `y` down (at least one pixel each way).
    static func scaled(_ image: PixelBuffer, x: Double, y: Double) -> PixelBuffer {
        image.resized(
            width: max(1, Int((Double(image.width) * x).rounded())),
            height: max(1, Int((Double(image.height) * y).rounded())))
    }

    /// `image` with fractions `l`, `t`, `r` and `b` of its width and height cut off the left,
    /// top, right and bottom.
    static func cropped(_ image: PixelBuffer, _ l: Double, _ t: Double, _ r: Double, _ b: Double) -> PixelBuffer {
        let (w, h) = (Double(image.width), Double(image.height))
        let x = Int(l * w), y = Int(t * h)
        return image.cropped(
            to: PixelRect(
                x: x, y: y, width: max(1, image.width - x - Int(r * w)), height: max(1, image.height - y - Int(b * h))))
    }

    /// The mean colour of an RGB picture.
    static func meanColour(_ image: PixelBuffer) -> [UInt8] {
        var sums = [Int](repeating: 0, count: 3)
        image.bytes.withUnsafeBufferPointer { bytes in
            var i = 0
            while i + 2 < bytes.count {
                sums[0] += Int(bytes[i])
                sums[1] += Int(bytes[i + 1])
                sums[2] += Int(bytes[i + 2])
                i += 3
            }
        }
        return sums.map { UInt8($0 / max(1, image.pixelCount)) }
    }

    /// Colours of app chrome: buttons, bars, badges.
    static let interfaceColours: [[UInt8]] = [
        [0, 122, 255], [52, 199, 89], [255, 59, 48], [28, 28, 30], [142, 142, 147], [255, 255, 255], [229, 229, 234],
    ]

    /// `art` pasted at a random place into a larger canvas so that it covers a fraction of
    /// the canvas's area uniform in [0.3, 0.9]; the canvas's aspect ratio is log-uniform
    /// between 1:2 and 2:1 (as far as the art still fits; never beyond 4:1, never under 16
    /// px across). Background white, light grey, dark grey or a seeded noise texture, and 0
    /// to 3 interface bars or blocks drawn beside (never over) the art. Not re-encoded.
    static func onCanvas(_ art: PixelBuffer, using rng: inout TrialRandom) -> (picture: PixelBuffer, name: String) {
        let fraction = rng.uniform(0.3...0.9)
        let aspect = Double(art.width) / Double(art.height)
        // The canvas holds the art: its aspect lies within [fraction * aspect, aspect / fraction].
        var (low, high) = (max(0.5, fraction * aspect), min(2, aspect / fraction))
        if low > high { (low, high) = (max(0.25, fraction * aspect), min(4, aspect / fraction)) }
        if low > high { (low, high) = (min(max(aspect, 0.25), 4), min(max(aspect, 0.25), 4)) }
        let ratio = rng.logUniform(low...high)
        let area = Double(art.width * art.height) / fraction
        let width = max(16, art.width, Int((area * ratio).squareRoot().rounded()))
        let height = max(16, art.height, Int((area / ratio).squareRoot().rounded()))
        let (x, y) = (rng.int(0...width - art.width), rng.int(0...height - art.height))
        let backgrounds: [(String, [UInt8])] = [("white", [255, 255, 255]), ("light grey", [230, 230, 230]),
            ("dark grey", [64, 64, 64]), ("noise", [])]
        let (backgroundName, colour) = rng.pick(backgrounds)
        var canvas =
            colour.isEmpty
            ? TrialArtworkKind.texture(width: width, height: height, using: &rng)
            : PixelBuffer(width: width, height: height, format: .rgb8).filled(
                PixelRect(x: 0, y: 0, width: width, height: height), with: colour)
        // The free bands beside the art: left, right, above, below.
        let bands = [
            PixelRect(x: 0, y: 0, width: x, height: height),
            PixelRect(x: x + art.width, y: 0, width: width - x - art.width, height: height),
            PixelRect(x: 0, y: 0, width: width, height: y),
            PixelRect(x: 0, y: y + art.height, width: width, height: height - y - art.height),
        ].filter { $0.width >= 4 && $0.height >= 4 }
        let bars = bands.isEmpty ? 0 : rng.int(0...3)
        for _ in 0..<bars {
            let band = rng.pick(bands)
            let w = max(2, Int(Double(band.width) * rng.uniform(0.2...1)))
            let h = max(2, Int(Double(band.height) * rng.uniform(0.05...0.6)))
            let bar = PixelRect(
                x: band.x + rng.int(0...band.width - w), y: band.y + rng.int(0...band.height - h), width: w, height: h)
            canvas.fill(bar, with: rng.pick(interfaceColours))
        }
        canvas.paste(art, at: x, y)
        let name =
            "\(width)x\(height) canvas (art \(String(format: "%.2f", fraction)) of it) at \(x),\(y), "
            + "\(backgroundName), \(bars) bars"
        return (canvas, name)
    }

    /// A phone screenshot: a 1170x2532 or 1080x2340 screen of (245, 245, 247) with a dark
    /// status bar 0 to 130 px tall, grey lines of text and a blue button above or below
    /// the art, and the art at 80 % of the screen's width, centred across at a random
    /// height (wholly on the screen); saved as JPEG 80.
    static func screenshot(_ art: PixelBuffer, using rng: inout TrialRandom) throws -> (picture: PixelBuffer, name: String) {
        let (width, height) = rng.pick([(1170, 2532), (1080, 2340)])
        var screen = PixelBuffer(width: width, height: height, format: .rgb8)
            .filled(PixelRect(x: 0, y: 0, width: width, height: height), with: [245, 245, 247])
        let status = rng.int(0...130)
        screen.fill(PixelRect(x: 0, y: 0, width: width, height: status), with: [28, 28, 30])
        let artWidth = width * 8 / 10
        let artHeight = min(height - status, max(1, Int((Double(artWidth) * Double(art.height) / Double(art.width)).rounded())))
        let top = rng.int(status...height - artHeight)
        let margin = width / 20
        // Above and below the art, each with a 16-pixel gap.
        let bands = [
            PixelRect(x: margin, y: status + 16, width: width - 2 * margin, height: top - status - 32),
            PixelRect(x: margin, y: top + artHeight + 16, width: width - 2 * margin, height: height - top - artHeight - 32),
        ].filter { $0.height >= 40 }
        var lines = 0
        if !bands.isEmpty {
            for _ in 0..<rng.int(2...6) {
                let band = rng.pick(bands)
                let h = min(band.height, rng.int(22...34))
                let w = Int(Double(band.width) * rng.uniform(0.4...1))
                screen.fill(
                    PixelRect(x: band.x, y: band.y + rng.int(0...band.height - h), width: w, height: h),
                    with: rng.pick([[199, 199, 204], [142, 142, 147], [60, 60, 67]]))
                lines += 1
            }
            let band = rng.pick(bands)
            let h = min(band.height, rng.int(100...150))
            screen.fill(
                PixelRect(x: band.x, y: band.y + rng.int(0...band.height - h), width: band.width, height: h),
                with: [0, 122, 255])
        }
        screen.paste(art.resized(width: artWidth, height: artHeight), at: (width - artWidth) / 2, top)
        let name = "\(width)x\(height) screen, status bar \(status), art at y \(top), \(lines) text lines, JPEG 80"
        return (try jpeg(80)(screen), name)
    }
}
