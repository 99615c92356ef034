import CouponArt
import Foundation
import ImageCore

/// The kinds of picture the robust trial marks (`--kinds`), each drawn deterministically
/// from the trial's seed and the artwork's number.
enum TrialArtworkKind: String, CaseIterable, Sendable {
    /// Coupon artwork as minted: 800x400, every theme in turn, varied titles.
    case coupon
    /// The same artwork rendered at 1600x800.
    case large
    /// The coupon artwork at 320x160 (rendered at 800x400, the smallest layout the renderer
    /// has room for being 400x200, and resized down).
    case banner
    /// 600x600 white paper with thin (1-2 px) black and dark lines, circles and rows of
    /// handwriting-like strokes: little texture for the mark to hide in.
    case lineArt = "line-art"
    /// 800x600 photo-like: smooth colour gradients, value noise at several octaves and a few
    /// soft-edged shapes; nowhere flat.
    case photo

    /// The comma-separated names, for help and errors.
    static let names = allCases.map(\.rawValue).joined(separator: ", ")

    static let titles = ["Espresso deal", "Winter sale", "Mug deal", "Barista course", "Weekend offer", "Tea time"]
    static let themes: [CouponTheme] = [.classic, .berry, .forest, .midnight]

    /// Artwork `index` of this kind for `seed` (RGB). `artist` is the caller's renderer
    /// (one per task).
    func draw(index: Int, seed: Int, artist: CouponArtwork) throws -> PixelBuffer {
        switch self {
        case .coupon: return try coupon(index: index, seed: seed, width: 800, height: 400, artist: artist)
        case .large: return try coupon(index: index, seed: seed, width: 1600, height: 800, artist: artist)
        case .banner:
            return try coupon(index: index, seed: seed, width: 800, height: 400, artist: artist)
                .resized(width: 320, height: 160)
        case .lineArt:
            var rng = TrialRandom("artwork \(seed) \(rawValue) \(index)")
            return Self.lineArt(using: &rng)
        case .photo:
            var rng = TrialRandom("artwork \(seed) \(rawValue) \(index)")
            return Self.photo(using: &rng)
        }
    }

    private func coupon(index: Int, seed: Int, width: Int, height: Int, artist: CouponArtwork) throws -> PixelBuffer {
        // The coupon kind keeps the serials the trial has always drawn.
        let serial = self == .coupon ? "TRIAL-\(seed)-\(index)" : "TRIAL-\(seed)-\(rawValue)-\(index)"
        let spec = CouponArtSpec(
            title: Self.titles[index % Self.titles.count], productName: "Product \(index)", validFrom: "2026-12-01",
            validUntil: "2027-01-31", serial: serial, width: width, height: height,
            theme: Self.themes[index % Self.themes.count])
        return try artist.render(spec).image
    }

    // MARK: Line art

    /// 600x600 white with 4-7 straight lines, 2-4 circles and 2-4 rows of word-like strokes,
    /// 1 or 2 px wide, in black or a dark ink.
    static func lineArt(using rng: inout TrialRandom) -> PixelBuffer {
        let side = 600
        var image = PixelBuffer(width: side, height: side, format: .rgb8, fill: 255)
        let inks: [[UInt8]] = [[0, 0, 0], [0, 0, 0], [40, 40, 48], [30, 45, 90], [70, 30, 30]]
        for _ in 0..<rng.int(4...7) {
            let from = (rng.uniform(20...580), rng.uniform(20...580))
            let to = (rng.uniform(20...580), rng.uniform(20...580))
            stroke([from, to], width: rng.pick([1.0, 1.0, 2.0]), ink: rng.pick(inks), on: &image)
        }
        for _ in 0..<rng.int(2...4) {
            let radius = rng.uniform(15...140)
            let (cx, cy) = (rng.uniform(radius + 10...590 - radius), rng.uniform(radius + 10...590 - radius))
            let steps = max(24, Int(radius))
            let points = (0...steps).map { i in
                let a = Double(i) / Double(steps) * 2 * .pi
                return (cx + radius * cos(a), cy + radius * sin(a))
            }
            stroke(points, width: rng.pick([1.0, 2.0]), ink: rng.pick(inks), on: &image)
        }
        // Words: a row of letters, each two to four points a few pixels apart, joined.
        for _ in 0..<rng.int(2...4) {
            let baseline = rng.uniform(60...560)
            let letterHeight = rng.uniform(7...14)
            var x = rng.uniform(30...120)
            let end = rng.uniform(320...570)
            let ink = rng.pick(inks)
            while x < end {
                var points: [(Double, Double)] = []
                for _ in 0..<rng.int(3...8) {
                    for _ in 0..<rng.int(2...4) {
                        points.append((x + rng.uniform(0...5), baseline - rng.uniform(0...letterHeight)))
                    }
                    x += rng.uniform(5...9)
                }
                stroke(points, width: 1, ink: ink, on: &image)
                x += rng.uniform(8...16)
            }
        }
        return image
    }

    /// Draws the polyline through `points`, `width` pixels wide, in `ink` with soft edges
    /// (a disc stamped every third of a pixel; each pixel keeps the darker of itself and
    /// the ink at its coverage).
    static func stroke(_ points: [(Double, Double)], width: Double, ink: [UInt8], on image: inout PixelBuffer) {
        let radius = width / 2
        let (w, h) = (image.width, image.height)
        image.bytes.withUnsafeMutableBufferPointer { bytes in
            for (a, b) in zip(points, points.dropFirst()) {
                let length = ((b.0 - a.0) * (b.0 - a.0) + (b.1 - a.1) * (b.1 - a.1)).squareRoot()
                let steps = max(1, Int(length * 3))
                for step in 0...steps {
                    let t = Double(step) / Double(steps)
                    let (cx, cy) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
                    let (x0, x1) = (max(0, Int(cx - radius - 1)), min(w - 1, Int(cx + radius + 1)))
                    let (y0, y1) = (max(0, Int(cy - radius - 1)), min(h - 1, Int(cy + radius + 1)))
                    guard x0 <= x1, y0 <= y1 else { continue }
                    for y in y0...y1 {
                        for x in x0...x1 {
                            let (dx, dy) = (Double(x) + 0.5 - cx, Double(y) + 0.5 - cy)
                            let coverage = min(1, radius + 0.5 - (dx * dx + dy * dy).squareRoot())
                            guard coverage > 0 else { continue }
                            let at = (y * w + x) * 3
                            for c in 0..<3 {
                                let mixed = 255 - coverage * (255 - Double(ink[c]))
                                bytes[at + c] = min(bytes[at + c], UInt8(mixed.rounded()))
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: Photo

    /// 800x600: a colour gradient with value noise at three coarse octaves and 3-6 soft
    /// ellipses drawn at an eighth of the size and enlarged (so every edge is soft), then
    /// two finer octaves and a little grain at full size.
    static func photo(using rng: inout TrialRandom) -> PixelBuffer {
        let (width, height) = (800, 600)
        let (lowWidth, lowHeight) = (width / 8, height / 8)
        let corners = (0..<4).map { _ in (0..<3).map { _ in rng.uniform(20...235) } }
        let octaves = [(4, 3, 45.0), (8, 6, 28.0), (16, 12, 16.0)].map { w, h, amplitude in
            (noise(width: w, height: h, using: &rng).resized(width: lowWidth, height: lowHeight), amplitude)
        }
        var low = [Double](repeating: 0, count: lowWidth * lowHeight * 3)
        for y in 0..<lowHeight {
            let v = Double(y) / Double(lowHeight - 1)
            for x in 0..<lowWidth {
                let u = Double(x) / Double(lowWidth - 1)
                for c in 0..<3 {
                    let top = corners[0][c] * (1 - u) + corners[1][c] * u
                    let bottom = corners[2][c] * (1 - u) + corners[3][c] * u
                    var value = top * (1 - v) + bottom * v
                    for (octave, amplitude) in octaves {
                        value += (Double(octave.bytes[(y * lowWidth + x) * 3 + c]) - 127.5) / 127.5 * amplitude
                    }
                    low[(y * lowWidth + x) * 3 + c] = value
                }
            }
        }
        for _ in 0..<rng.int(3...6) {
            let (cx, cy) = (rng.uniform(0...Double(lowWidth)), rng.uniform(0...Double(lowHeight)))
            let (rx, ry) = (rng.uniform(5...30), rng.uniform(5...25))
            let colour = (0..<3).map { _ in rng.uniform(0...255) }
            let opacity = rng.uniform(0.4...0.85)
            for y in 0..<lowHeight {
                for x in 0..<lowWidth {
                    let (dx, dy) = ((Double(x) + 0.5 - cx) / rx, (Double(y) + 0.5 - cy) / ry)
                    let inside = min(1, max(0, (1 - (dx * dx + dy * dy).squareRoot()) * 4)) * opacity
                    guard inside > 0 else { continue }
                    for c in 0..<3 {
                        let at = (y * lowWidth + x) * 3 + c
                        low[at] = low[at] * (1 - inside) + colour[c] * inside
                    }
                }
            }
        }
        let base = PixelBuffer(
            width: lowWidth, height: lowHeight, format: .rgb8,
            bytes: low.map { UInt8(min(max($0, 0), 255).rounded()) })!
            .resized(width: width, height: height)
        let fine = [(100, 75, 10.0), (200, 150, 6.0)].map { w, h, amplitude in
            (noise(width: w, height: h, using: &rng).resized(width: width, height: height), amplitude)
        }
        var photo = base
        var grain = rng
        photo.bytes.withUnsafeMutableBufferPointer { bytes in
            fine[0].0.bytes.withUnsafeBufferPointer { first in
                fine[1].0.bytes.withUnsafeBufferPointer { second in
                    let (a, b) = (fine[0].1 / 127.5, fine[1].1 / 127.5)
                    for i in 0..<bytes.count {
                        let value =
                            Double(bytes[i]) + (Double(first[i]) - 127.5) * a + (Double(second[i]) - 127.5) * b
                            + Double(Int(grain.next() & 7) - 4) * 0.5
                        bytes[i] = UInt8(min(max(value, 0), 255).rounded())
                    }
                }
            }
        }
        return photo
    }

    /// `width` x `height` RGB of independent uniform samples: one octave of value noise
    /// once enlarged (bilinearly, by `PixelBuffer.resized`).
    static func noise(width: Int, height: Int, using rng: inout TrialRandom) -> PixelBuffer {
        PixelBuffer(
            width: width, height: height, format: .rgb8,
            bytes: (0..<width * height * 3).map { _ in UInt8(truncatingIfNeeded: rng.next() >> 56) })!
    }

    /// A `width` x `height` background texture (fabric, paper, a wallpaper): a random tint
    /// with value noise at three octaves, built at a quarter of the size and enlarged.
    static func texture(width: Int, height: Int, using rng: inout TrialRandom) -> PixelBuffer {
        let (w, h) = (max(1, width / 4), max(1, height / 4))
        let tint = (0..<3).map { _ in rng.uniform(60...220) }
        let layers = [(32.0, 40.0), (8.0, 24.0), (2.0, 12.0)].map { cell, amplitude in
            (
                noise(width: max(1, Int(Double(w) / cell)), height: max(1, Int(Double(h) / cell)), using: &rng)
                    .resized(width: w, height: h), amplitude / 127.5
            )
        }
        var bytes = [UInt8](repeating: 0, count: w * h * 3)
        for i in bytes.indices {
            var value = tint[i % 3]
            for (layer, amplitude) in layers { value += (Double(layer.bytes[i]) - 127.5) * amplitude }
            bytes[i] = UInt8(min(max(value, 0), 255).rounded())
        }
        return PixelBuffer(width: w, height: h, format: .rgb8, bytes: bytes)!.resized(width: width, height: height)
    }
}
