import Foundation
import ImageCore

/// Peak signal-to-noise ratio between two images of the same size and format, over every
/// channel, in decibels (infinity when equal).
func psnr(_ a: PixelBuffer, _ b: PixelBuffer) -> Double {
    precondition(a.width == b.width && a.height == b.height && a.format == b.format)
    var squares = 0.0
    for (x, y) in zip(a.bytes, b.bytes) {
        let d = Double(x) - Double(y)
        squares += d * d
    }
    guard squares > 0 else { return .infinity }
    return 10 * log10(255 * 255 / (squares / Double(a.bytes.count)))
}
