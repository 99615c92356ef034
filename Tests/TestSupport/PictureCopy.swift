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

    public enum Side: String, Sendable {
        case left, top, right, bottom
    }

    /// Every kind of copy the robust layer is built to survive, at its hardest setting.
    public static let all: [PictureCopy] = [
        .jpeg(quality: 95), .jpeg(quality: 75), .jpeg(quality: 50), .webp(quality: 80), .webp(quality: 50),
        .resized(0.5), .resized(0.75), .resized(2), .resized(3), .cropped(.left, fraction: 0.1),
        .cropped(.top, fraction: 0.1), .cropped(.right, fraction: 0.1), .cropped(.bottom, fraction: 0.1),
        .border(4), .screenshot(scale: 2, quality: 80), .screenshot(scale: 3, quality: 80),
    ]

    public var description: String {
        switch self {
        case .jpeg(let quality): "JPEG \(quality)"
        case .webp(let quality): "WebP \(quality)"
        case .resized(let factor): "resized \(factor)x"
        case .cropped(let side, let fraction): "\(Int(fraction * 100))% off the \(side.rawValue)"
        case .border(let pixels): "\(pixels)-pixel border cropped"
        case .screenshot(let scale, let quality): "\(scale)x screenshot as JPEG \(quality)"
        }
    }

    /// The file extension of the copy.
    public var fileExtension: String {
        switch self {
        case .jpeg, .screenshot: "jpg"
        case .webp: "webp"
        case .resized, .cropped, .border: "png"
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
        }
    }

    static func scaled(_ image: PixelBuffer, by factor: Double) -> PixelBuffer {
        image.resized(
            width: Int((Double(image.width) * factor).rounded()), height: Int((Double(image.height) * factor).rounded()))
    }
}
