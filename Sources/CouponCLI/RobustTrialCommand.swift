import ArgumentParser
import CouponArt
import Crypto
import Foundation
import ImageCore
import ImageFormats
import RobustMark

/// `coupon watermark robust-trial`: the robust layer's survival table and false-positive
/// count, measured on freshly drawn coupon artwork (every theme, varied titles), each
/// marked under its own key. Deterministic for a given `--seed`: keys and identifiers
/// are SHA-256 of the seed and the artwork's number.
struct RobustTrialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "robust-trial",
        abstract: "Measure what the robust layer survives, and how often an unmarked picture reads as marked.")

    @Option(help: "Marked artworks, each put through every transformation.") var artworks = 8
    @Option(help: "Unmarked pictures read with a key (half of them as JPEG 75 copies).") var unmarked = 200
    @Option(help: "Seed for titles, themes, keys and identifiers.") var seed = 1
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard artworks >= 1, unmarked >= 0 else { throw ValidationError("--artworks must be at least 1, --unmarked 0 or more") }
    }

    /// One way a picture travels.
    struct Transformation: Sendable {
        let name: String
        let apply: @Sendable (PixelBuffer) throws -> PixelBuffer
    }

    static func jpeg(_ q: Int) -> @Sendable (PixelBuffer) throws -> PixelBuffer {
        { try ImageDecoder().decode(try JPEGEncoder(quality: q).encode($0), as: .rgb8).image }
    }
    static func webp(_ q: Int) -> @Sendable (PixelBuffer) throws -> PixelBuffer {
        { try ImageDecoder().decode(try WebPEncoder(quality: q).encode($0), as: .rgb8).image }
    }
    static func scale(_ f: Double) -> @Sendable (PixelBuffer) -> PixelBuffer {
        { $0.resized(width: Int((Double($0.width) * f).rounded()), height: Int((Double($0.height) * f).rounded())) }
    }
    /// Off the left, top, right and bottom, as fractions of the width and height.
    static func crop(_ l: Double, _ t: Double, _ r: Double, _ b: Double) -> @Sendable (PixelBuffer) -> PixelBuffer {
        { image in
            let (w, h) = (Double(image.width), Double(image.height))
            let x = Int(l * w), y = Int(t * h)
            return image.cropped(
                to: PixelRect(x: x, y: y, width: image.width - x - Int(r * w), height: image.height - y - Int(b * h)))
        }
    }

    static let transformations: [Transformation] = [
        .init(name: "as marked") { $0 },
        .init(name: "JPEG 95", apply: jpeg(95)), .init(name: "JPEG 75", apply: jpeg(75)),
        .init(name: "JPEG 50", apply: jpeg(50)), .init(name: "WebP 80", apply: webp(80)),
        .init(name: "WebP 50", apply: webp(50)),
        .init(name: "0.5x", apply: scale(0.5)), .init(name: "0.75x", apply: scale(0.75)),
        .init(name: "1.37x", apply: scale(1.37)), .init(name: "2x", apply: scale(2)), .init(name: "3x", apply: scale(3)),
        .init(name: "4-pixel border off") { image in
            image.cropped(to: PixelRect(x: 4, y: 4, width: image.width - 8, height: image.height - 8))
        },
        .init(name: "10% off the left", apply: crop(0.1, 0, 0, 0)), .init(name: "10% off the top", apply: crop(0, 0.1, 0, 0)),
        .init(name: "10% off every side", apply: crop(0.1, 0.1, 0.1, 0.1)),
        .init(name: "2x screenshot, JPEG 80") { try jpeg(80)(scale(2)($0)) },
        .init(name: "3x screenshot, JPEG 80") { try jpeg(80)(scale(3)($0)) },
        .init(name: "0.75x, 5% off top-left, JPEG 75") { try jpeg(75)(crop(0.05, 0.05, 0, 0)(scale(0.75)($0))) },
        .init(name: "0.5x, JPEG 75") { try jpeg(75)(scale(0.5)($0)) },
        .init(name: "10% off top-left, JPEG 50") { try jpeg(50)(crop(0.1, 0.1, 0, 0)($0)) },
        .init(name: "WebP 50, then 1.3x") { scale(1.3)(try webp(50)($0)) },
    ]

    static let titles = ["Espresso deal", "Winter sale", "Mug deal", "Barista course", "Weekend offer", "Tea time"]
    static let themes: [CouponTheme] = [.classic, .berry, .forest, .midnight]

    struct Row: Encodable {
        let transformation: String
        let survived: Int
        let of: Int
    }

    struct Report: Encodable {
        let artworks: Int
        let psnrMin, psnrMean: Double
        let survival: [Row]
        let unmarked: Int
        let falsePositives: Int
        let maxUnmarkedScore: Double
        let seconds: Double
    }

    /// 32 bytes for artwork `index` and `purpose`, from the seed.
    func derived(_ purpose: String, _ index: Int) -> [UInt8] {
        Array(SHA256.hash(data: Array("\(purpose) \(seed) \(index)".utf8)))
    }

    func artwork(_ artist: CouponArtwork, _ index: Int) throws -> PixelBuffer {
        let spec = CouponArtSpec(
            title: Self.titles[index % Self.titles.count], productName: "Product \(index)", validFrom: "2026-12-01",
            validUntil: "2027-01-31", serial: "TRIAL-\(seed)-\(index)", theme: Self.themes[index % Self.themes.count])
        return try artist.render(spec).image
    }

    func run() async throws {
        let started = ContinuousClock.now
        let artist = try CouponArtwork()
        var survived = [Int](repeating: 0, count: Self.transformations.count)
        var psnrs: [Double] = []
        let progress = ProgressBar(total: artworks + unmarked, label: "trial")
        for index in 0..<artworks {
            let original = try artwork(artist, index)
            let key = RobustKey(bytes: derived("key", index))!
            let id = derived("id", index).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let marked = RobustMark.embed(original, id: id, key: key)
            psnrs.append(original.psnr(to: marked))
            for (t, transformation) in Self.transformations.enumerated()
            where try RobustMark.detect(transformation.apply(marked), key: key)?.id == id {
                survived[t] += 1
            }
            progress.advance()
        }
        var falsePositives = 0
        var maxScore = 0.0
        for index in 0..<unmarked {
            var picture = try artwork(artist, 10_000 + index)
            if index % 2 == 1 { picture = try Self.jpeg(75)(picture) }
            let key = RobustKey(bytes: derived("unmarked key", index))!
            if let found = RobustMark.detect(picture, key: key) {
                falsePositives += 1
                maxScore = max(maxScore, found.score)
            }
            progress.advance()
        }
        progress.finish()
        let elapsed = ContinuousClock.now - started
        let report = Report(
            artworks: artworks, psnrMin: psnrs.min() ?? 0, psnrMean: psnrs.reduce(0, +) / Double(psnrs.count),
            survival: zip(Self.transformations, survived).map { Row(transformation: $0.name, survived: $1, of: artworks) },
            unmarked: unmarked, falsePositives: falsePositives, maxUnmarkedScore: maxScore,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        if json {
            try Terminal.printJSON(report)
            return
        }
        print(String(format: "%d artworks marked: PSNR %.2f dB mean, %.2f dB lowest", artworks, report.psnrMean, report.psnrMin))
        for row in report.survival {
            print("\(row.transformation.padding(toLength: 34, withPad: " ", startingAt: 0)) \(row.survived)/\(row.of)")
        }
        print("\(unmarked) unmarked pictures: \(falsePositives) read as marked")
    }
}
