import ImageCore
import ImageFormats
@testable import RobustMark
import Testing

/// The robust layer through real lossy codecs (libjpeg-turbo, libwebp), alone and after
/// resizing and cropping: how coupons travel through messengers and screenshots.
@Suite struct RobustCodecTests {
    enum Codec: Sendable, CustomStringConvertible {
        case jpeg(Int), webp(Int)
        var description: String {
            switch self {
            case .jpeg(let q): "JPEG \(q)"
            case .webp(let q): "WebP \(q)"
            }
        }

        func roundTrip(_ image: PixelBuffer) throws -> PixelBuffer {
            let bytes =
                switch self {
                case .jpeg(let q): try JPEGEncoder(quality: q).encode(image)
                case .webp(let q): try WebPEncoder(quality: q).encode(image)
                }
            return try ImageDecoder().decode(bytes, as: .rgb8).image
        }
    }

    @Test(arguments: [
        (Codec.jpeg(95), 1.0, 0, 0), (.jpeg(75), 1.0, 0, 0), (.jpeg(50), 1.0, 0, 0), (.webp(80), 1.0, 0, 0),
        (.webp(50), 1.0, 0, 0), (.jpeg(80), 2.0, 0, 0), (.jpeg(80), 3.0, 0, 0), (.jpeg(75), 0.5, 0, 0),
        (.jpeg(50), 1.0, 80, 40), (.webp(50), 1.3, 0, 0),
    ])
    func theIdentifierSurvives(_ codec: Codec, _ factor: Double, _ left: Int, _ top: Int) throws {
        var image = RobustMarkTests.marked
        if factor != 1 { image = image.resized(by: factor) }
        image = try codec.roundTrip(image.cropped(left: left, top: top, right: 0, bottom: 0))
        let found = try #require(
            RobustMark.detect(image, key: RobustMarkTests.key), "\(codec) at \(factor)x, crop \(left),\(top): none")
        #expect(found.id == RobustMarkTests.id)
    }
}
