import ImageCore
import ImageFormats
import PNGCodec

/// The copies a coupon picture meets on its way between people: recompressed by a
/// messenger, converted by a website, resized, cropped by an editor, or screenshotted on a
/// 2x or 3x screen and saved as JPEG. Each makes a new file from the original's bytes.
public enum PictureCopy: Sendable, CustomStringConvertible {
    case jpeg(quality: Int)
    case webp(quality: Int)
    /// Resized by `factor` and saved as PNG.
    case resized(Double)
    /// `fraction` of the width (left, right) or height (top, bottom) cut off one side, PNG.
    case cropped(Side, fraction: Double)
    /// A few pixels off every side, PNG.
    case border(Int)
    /// Shown at `scale` (a 2x or 3x screen) and saved as JPEG at `quality`.
    case screenshot(scale: Double, quality: Int)
    /// A phone's screenshot of an app showing the coupon: a 1170 x 2532 screen, a status
    /// bar, text lines and a button, the coupon at 80 % of the screen's width, saved as JPEG
    /// at `quality`.
    case phoneScreenshot(quality: Int)
    /// Turned by `degrees` (clockwise) on a white background, saved as JPEG 90.
    case rotated(Double)
    /// Flipped left to right, PNG.
    case mirrored
    /// The height scaled by `factor`, the width kept, PNG.
    case squeezed(Double)

    public enum Side: String, Sendable {
        case left, top, right, bottom
    }

    /// Every kind of copy the robust layer is built to survive, at its hardest setting.
    public static let all: [PictureCopy] = [
        .jpeg(quality: 95), .jpeg(quality: 75), .jpeg(quality: 50), .webp(quality: 80), .webp(quality: 50),
        .resized(0.5), .resized(0.75), .resized(2), .resized(3), .cropped(.left, fraction: 0.1),
        .cropped(.top, fraction: 0.1), .cropped(.right, fraction: 0.1), .cropped(.bottom, fraction: 0.1),
        .border(4), .screenshot(scale: 2, quality: 80), .screenshot(scale: 3, quality: 80),
        .phoneScreenshot(quality: 80), .rotated(3), .mirrored, .squeezed(0.8), .cropped(.bottom, fraction: 0.25),
    ]

    public var description: String {
        switch self {
        case .jpeg(let quality): "JPEG \(quality)"
        case .webp(let quality): "WebP \(quality)"
        case .resized(let factor): "resized \(factor)x"
        case .cropped(let side, let fraction): "\(Int(fraction * 100))% off the \(side.rawValue)"
        case .border(let pixels): "\(pixels)-pixel border cropped"
        case .screenshot(let scale, let quality): "\(scale)x screenshot as JPEG \(quality)"
        case .phoneScreenshot(let quality): "phone screenshot with the app around it, JPEG \(quality)"
        case .rotated(let degrees): "turned \(degrees) degrees, JPEG 90"
        case .mirrored: "mirrored"
        case .squeezed(let factor): "height squeezed to \(Int(factor * 100))%"
        }
    }

    /// The file extension of the copy.
    public var fileExtension: String {
        switch self {
        case .jpeg, .screenshot, .phoneScreenshot, .rotated: "jpg"
        case .webp: "webp"
        case .resized, .cropped, .border, .mirrored, .squeezed: "png"
        }
    }

    /// The copy of the picture in `original` (PNG, JPEG or WebP bytes).
    public func apply(to original: [UInt8]) throws -> [UInt8] {
        let decoded = try ImageDecoder().decode(original).image
        let image = decoded.toRGB() ?? decoded
        switch self {
        case .jpeg(let quality):
            return try JPEGEncoder(quality: quality).encode(image)
        case .webp(let quality):
            return try WebPEncoder(quality: quality).encode(image)
        case .resized(let factor):
            return try PNGEncoder().encode(Self.scaled(image, by: factor))
        case .cropped(let side, let fraction):
            let (dx, dy) = (Int(Double(image.width) * fraction), Int(Double(image.height) * fraction))
            let rect =
                switch side {
                case .left: PixelRect(x: dx, y: 0, width: image.width - dx, height: image.height)
                case .right: PixelRect(x: 0, y: 0, width: image.width - dx, height: image.height)
                case .top: PixelRect(x: 0, y: dy, width: image.width, height: image.height - dy)
                case .bottom: PixelRect(x: 0, y: 0, width: image.width, height: image.height - dy)
                }
            return try PNGEncoder().encode(image.cropped(to: rect))
        case .border(let pixels):
            return try PNGEncoder().encode(
                image.cropped(
                    to: PixelRect(x: pixels, y: pixels, width: image.width - 2 * pixels, height: image.height - 2 * pixels)))
        case .screenshot(let scale, let quality):
            return try JPEGEncoder(quality: quality).encode(Self.scaled(image, by: scale))
        case .phoneScreenshot(let quality):
            return try JPEGEncoder(quality: quality).encode(Self.phoneScreen(showing: image))
        case .rotated(let degrees):
            return try JPEGEncoder(quality: 90).encode(image.rotated(degrees: degrees, fill: [255, 255, 255]))
        case .mirrored:
            return try PNGEncoder().encode(image.mirrored())
        case .squeezed(let factor):
            return try PNGEncoder().encode(
                image.resized(width: image.width, height: Int((Double(image.height) * factor).rounded())))
        }
    }

    /// A 1170 x 2532 phone screen (RGB) with `image` at 80 % of its width, 900 pixels
    /// down, under a status bar and text lines, above a button.
    public static func phoneScreen(showing image: PixelBuffer) -> PixelBuffer {
        let (width, height) = (1170, 2532)
        let shown = image.resized(width: width * 8 / 10, height: width * 8 / 10 * image.height / image.width)
        var screen = shown.pasted(into: width, height, at: width / 10, 900, fill: [245, 245, 247])
        screen.fill(PixelRect(x: 0, y: 0, width: width, height: 130), with: [20, 20, 20])
        for line in 0..<6 {
            screen.fill(PixelRect(x: 80, y: 300 + 70 * line, width: 700 - 60 * line, height: 28), with: [90, 90, 95])
        }
        screen.fill(PixelRect(x: 100, y: 2100, width: 970, height: 150), with: [0, 122, 255])
        return screen
    }

    static func scaled(_ image: PixelBuffer, by factor: Double) -> PixelBuffer {
        image.resized(
            width: Int((Double(image.width) * factor).rounded()), height: Int((Double(image.height) * factor).rounded()))
    }
}
