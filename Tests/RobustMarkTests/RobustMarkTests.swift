import Foundation
import ImageCore
import PNGCodec
@testable import RobustMark
import Testing
import TestSupport

/// The robust layer on real coupon artwork, through the transformations done in process
/// here (resizing and cropping); JPEG and WebP round trips are in `RobustCodecTests`.
@Suite struct RobustMarkTests {
    static let key = RobustKey(base64: Data((0..<32).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }).base64EncodedString())!
    static let id: UInt64 = 0x0123_4567_89AB_CDEF

    static func coupon() throws -> PixelBuffer {
        let bytes = try Data(contentsOf: TestFiles.fixtures.appendingPathComponent("art/sample-coupon.png"))
        return try PNGDecoder().decode(Array(bytes), as: .rgb8).image
    }

    static let marked: PixelBuffer = RobustMark.embed(try! coupon(), id: id, key: key)

    @Test func theCodeRoundTripsAndCorrectsErrors() {
        var random = SplitMix64(seed: 11)
        let bits = (0..<RobustLayout.infoBits).map { _ in UInt8(random.next() & 1) }
        let coded = ConvolutionalCode.encode(bits)
        #expect(coded.count == RobustLayout.codedBits)
        var soft = coded.map { Float($0) * 2 - 1 }
        for k in stride(from: 0, to: soft.count, by: 9) { soft[k] = -soft[k] }  // one bit in nine flipped
        #expect(ConvolutionalCode.decode(soft, infoBits: bits.count) == bits)
    }

    @Test func markingKeepsTheArtworkAbove40dB() throws {
        let psnr = try Self.coupon().psnr(to: Self.marked)
        #expect(psnr >= 40, "PSNR \(psnr) dB")
    }

    @Test(arguments: [
        ("as marked", 1.0, 0, 0, 0, 0), ("0.5x", 0.5, 0, 0, 0, 0), ("0.75x", 0.75, 0, 0, 0, 0),
        ("1.37x", 1.37, 0, 0, 0, 0), ("2x", 2.0, 0, 0, 0, 0), ("3x", 3.0, 0, 0, 0, 0),
        ("4-pixel border", 1.0, 4, 4, 4, 4), ("10% left", 1.0, 80, 0, 0, 0), ("10% top", 1.0, 0, 40, 0, 0),
        ("10% off every side", 1.0, 80, 40, 80, 40), ("0.75x then 5% off top-left", 0.75, 30, 15, 0, 0),
    ])
    func theIdentifierSurvives(_ name: String, _ factor: Double, _ left: Int, _ top: Int, _ right: Int, _ bottom: Int)
        throws
    {
        var image = Self.marked
        if factor != 1 { image = image.resized(by: factor) }
        image = image.cropped(left: left, top: top, right: right, bottom: bottom)
        let found = try #require(RobustMark.detect(image, key: Self.key), "\(name): no mark found")
        #expect(found.id == Self.id)
    }

    @Test func anUnmarkedPictureOrAnotherKeyReadsAsNone() throws {
        #expect(RobustMark.detect(try Self.coupon(), key: Self.key) == nil)
        #expect(RobustMark.detect(Self.marked, key: RobustKey()) == nil)
    }

    /// Sizes no kernel's vectors divide, and pictures too small to carry a mark: marking
    /// changes only colour within a few levels (alpha never), and detection answers.
    @Test(arguments: [(1, 1), (3, 2), (17, 9), (15, 40), (33, 17)])
    func oddAndTinyPicturesAreMarkedAndReadWithoutFault(width: Int, height: Int) {
        for format in [PixelFormat.rgb8, .rgba8] {
            var random = SplitMix64(seed: UInt64(width * 100 + height))
            var image = PixelBuffer(width: width, height: height, format: format)
            for i in image.bytes.indices { image.bytes[i] = UInt8(truncatingIfNeeded: random.next()) }
            let marked = RobustMark.embed(image, id: 7, key: Self.key)
            #expect(marked.width == width && marked.height == height && marked.format == format)
            for (i, (before, after)) in zip(image.bytes, marked.bytes).enumerated() {
                let alpha = format == .rgba8 && i % 4 == 3
                #expect(alpha ? before == after : abs(Int(before) - Int(after)) <= 5)
            }
            let found = RobustMark.detect(marked, key: Self.key)
            #expect(min(width, height) >= 16 || found == nil)
        }
    }
}

extension PixelBuffer {
    func resized(by factor: Double) -> PixelBuffer {
        resized(width: Int((Double(width) * factor).rounded()), height: Int((Double(height) * factor).rounded()))
    }

    func cropped(left: Int, top: Int, right: Int, bottom: Int) -> PixelBuffer {
        cropped(to: PixelRect(x: left, y: top, width: width - left - right, height: height - top - bottom))
    }
}
