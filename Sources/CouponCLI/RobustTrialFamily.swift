import Foundation
import ImageCore

/// A family of transformations in the robust trial (`--families`). `classic` is a fixed
/// list; `jpeg30` and `webp50` have no parameters; every other family draws its
/// parameters from a seeded generator (`TrialRandom`) for each case, in the ranges below.
enum RobustTrialFamily: String, CaseIterable, Sendable {
    /// The 21 fixed transformations (``classicTransformations``), each reported on its own.
    case classic
    /// Both axes resized by one factor, log-uniform in [0.4, 3].
    case scale
    /// One axis (either, at random) resized by a factor uniform in [0.8, 1.2].
    case aspect
    /// Each side cut by a fraction of the width or height uniform in [0, 0.25], at least one
    /// of them by 0.15 or more.
    case crop
    /// Turned by an angle uniform in [-5, 5] degrees (at least 0.5 either way) about the
    /// centre, the canvas grown to hold it, the corners white, black or the picture's mean
    /// colour.
    case rotation
    /// Mirrored left to right, then JPEG at a quality uniform in [75, 95].
    case mirror
    /// Resized by a factor log-uniform in [0.4, 3] and pasted into a larger canvas
    /// (`TrialTransformation.onCanvas`), then JPEG at a quality uniform in [70, 95].
    case canvas
    /// JPEG quality 30.
    case jpeg30
    /// WebP quality 50.
    case webp50
    /// A phone screenshot (`TrialTransformation.screenshot`), JPEG 80.
    case screenshot
    /// Turned in [-5, 5] degrees, one axis resized in [0.8, 1.2], each side cropped by up
    /// to 0.15, pasted into a canvas as in ``canvas`` (not resized), then JPEG at a quality
    /// uniform in [50, 90].
    case combined

    /// The comma-separated names, for help and errors.
    static let names = allCases.map(\.rawValue).joined(separator: ", ")

    /// Whether the family has parameters to draw, so that it is tried `--cases` times per
    /// artwork; the others are tried once.
    var isRandom: Bool { ![.classic, .jpeg30, .webp50].contains(self) }

    /// One line for `--help` and the text report.
    var summary: String {
        switch self {
        case .classic: "21 fixed ones: JPEG 95-50, WebP 80 and 50, 0.5x-3x, crops, 2x and 3x screenshots, mixes"
        case .scale: "resized by a factor log-uniform in [0.4, 3]"
        case .aspect: "one axis resized by a factor uniform in [0.8, 1.2]"
        case .crop: "each side cut by [0, 0.25] of the side, one by 0.15 or more"
        case .rotation: "turned by [-5, 5] degrees (|angle| >= 0.5), corners white, black or the mean colour"
        case .mirror: "mirrored left to right, JPEG quality [75, 95]"
        case .canvas:
            "resized by [0.4, 3] (log-uniform), pasted into a canvas it covers [0.3, 0.9] of (aspect 1:2 to 2:1; "
                + "white, grey or textured; 0-3 interface bars beside it), JPEG quality [70, 95]"
        case .jpeg30: "JPEG quality 30"
        case .webp50: "WebP quality 50"
        case .screenshot:
            "on a 1170x2532 or 1080x2340 phone screen at 80% of its width, status bar, text lines, button, JPEG 80"
        case .combined:
            "turned [-5, 5] degrees, one axis [0.8, 1.2], each side cropped [0, 0.15], pasted into a canvas as in "
                + "canvas, JPEG quality [50, 90]"
        }
    }

    /// The classic family: what the trial has always measured.
    static let classicTransformations: [TrialTransformation] = {
        typealias T = TrialTransformation
        return [
            T(name: "as marked") { $0 },
            T(name: "JPEG 95", apply: T.jpeg(95)), T(name: "JPEG 75", apply: T.jpeg(75)),
            T(name: "JPEG 50", apply: T.jpeg(50)), T(name: "WebP 80", apply: T.webp(80)),
            T(name: "WebP 50", apply: T.webp(50)),
            T(name: "0.5x", apply: T.scale(0.5)), T(name: "0.75x", apply: T.scale(0.75)),
            T(name: "1.37x", apply: T.scale(1.37)), T(name: "2x", apply: T.scale(2)), T(name: "3x", apply: T.scale(3)),
            T(name: "4-pixel border off") { image in
                image.cropped(to: PixelRect(x: 4, y: 4, width: image.width - 8, height: image.height - 8))
            },
            T(name: "10% off the left", apply: T.crop(0.1, 0, 0, 0)), T(name: "10% off the top", apply: T.crop(0, 0.1, 0, 0)),
            T(name: "10% off every side", apply: T.crop(0.1, 0.1, 0.1, 0.1)),
            T(name: "2x screenshot, JPEG 80") { try T.jpeg(80)(T.scale(2)($0)) },
            T(name: "3x screenshot, JPEG 80") { try T.jpeg(80)(T.scale(3)($0)) },
            T(name: "0.75x, 5% off top-left, JPEG 75") { try T.jpeg(75)(T.crop(0.05, 0.05, 0, 0)(T.scale(0.75)($0))) },
            T(name: "0.5x, JPEG 75") { try T.jpeg(75)(T.scale(0.5)($0)) },
            T(name: "10% off top-left, JPEG 50") { try T.jpeg(50)(T.crop(0.1, 0.1, 0, 0)($0)) },
            T(name: "WebP 50, then 1.3x") { T.scale(1.3)(try T.webp(50)($0)) },
        ]
    }()

    /// `picture` through one case of this family, its parameters drawn from `rng`, and a
    /// description of them. For `classic`, one of its transformations at random.
    func apply(to picture: PixelBuffer, using rng: inout TrialRandom) throws -> (picture: PixelBuffer, name: String) {
        typealias T = TrialTransformation
        func f(_ value: Double) -> String { String(format: "%.3f", value) }
        switch self {
        case .classic:
            let transformation = rng.pick(Self.classicTransformations)
            return (try transformation.apply(picture), transformation.name)
        case .scale:
            let factor = rng.logUniform(0.4...3)
            return (T.scaled(picture, x: factor, y: factor), "\(f(factor))x")
        case .aspect:
            let (horizontal, factor) = (rng.chance(0.5), rng.uniform(0.8...1.2))
            return (
                T.scaled(picture, x: horizontal ? factor : 1, y: horizontal ? 1 : factor),
                "\(horizontal ? "width" : "height") \(f(factor))x"
            )
        case .crop:
            var sides = (0..<4).map { _ in rng.uniform(0...0.25) }
            if sides.allSatisfy({ $0 < 0.15 }) { sides[rng.int(0...3)] = rng.uniform(0.15...0.25) }
            return (
                T.cropped(picture, sides[0], sides[1], sides[2], sides[3]),
                "off left, top, right, bottom: " + sides.map(f).joined(separator: ", ")
            )
        case .rotation:
            let angle = rng.uniform(0.5...5) * (rng.chance(0.5) ? -1 : 1)
            let (fillName, fill) = Self.drawFill(for: picture, using: &rng)
            return (picture.rotated(degrees: angle, fill: fill), "\(f(angle)) degrees, \(fillName) corners")
        case .mirror:
            let quality = rng.int(75...95)
            return (try T.jpeg(quality)(picture.mirrored()), "mirrored, JPEG \(quality)")
        case .canvas:
            let factor = rng.logUniform(0.4...3)
            let (canvas, name) = T.onCanvas(T.scaled(picture, x: factor, y: factor), using: &rng)
            let quality = rng.int(70...95)
            return (try T.jpeg(quality)(canvas), "\(f(factor))x on a \(name), JPEG \(quality)")
        case .jpeg30:
            return (try T.jpeg(30)(picture), "JPEG 30")
        case .webp50:
            return (try T.webp(50)(picture), "WebP 50")
        case .screenshot:
            return try T.screenshot(picture, using: &rng)
        case .combined:
            let angle = rng.uniform(-5...5)
            let (fillName, fill) = Self.drawFill(for: picture, using: &rng)
            let (horizontal, factor) = (rng.chance(0.5), rng.uniform(0.8...1.2))
            let sides = (0..<4).map { _ in rng.uniform(0...0.15) }
            let turned = picture.rotated(degrees: angle, fill: fill)
            let squeezed = T.scaled(turned, x: horizontal ? factor : 1, y: horizontal ? 1 : factor)
            let cut = T.cropped(squeezed, sides[0], sides[1], sides[2], sides[3])
            let (canvas, name) = T.onCanvas(cut, using: &rng)
            let quality = rng.int(50...90)
            return (
                try T.jpeg(quality)(canvas),
                "\(f(angle)) degrees (\(fillName) corners), \(horizontal ? "width" : "height") \(f(factor))x, off "
                    + sides.map(f).joined(separator: "/") + ", on a \(name), JPEG \(quality)"
            )
        }
    }

    /// White, black or the picture's mean colour, at random.
    private static func drawFill(for picture: PixelBuffer, using rng: inout TrialRandom) -> (String, [UInt8]) {
        switch rng.int(0...2) {
        case 0: ("white", [255, 255, 255])
        case 1: ("black", [0, 0, 0])
        default: ("mean-colour", TrialTransformation.meanColour(picture))
        }
    }
}
