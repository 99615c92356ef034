import Crypto
import Foundation
import ImageCore
import PNGCodec
import TestSupport
import Testing

@_spi(Benchmarks) @testable import Watermark

/// Marks made before the alpha-independent layout (commit c289f18) still read, and opaque
/// RGB marking is byte for byte what it was. The fixtures in `fixtures/watermark-v1/` were
/// written by that commit's code; their README says how.
@Suite struct FormatStabilityTests {
    static let folder = TestFiles.fixtures.appendingPathComponent("watermark-v1")

    static func file(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    static func text(_ name: String) throws -> String {
        String(decoding: try file(name), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// SHA-256 of the pixels of an 800 x 400 RGB picture marked with a fixed key, payload and
    /// nonce, recorded with the code of c289f18 (both kernel modes gave it).
    static let opaqueRGBDigest = "9b02a2d1263b0213a4c1de8729c8e665c213f1536ea32b596b693cd6bf1195b1"

    @Test(arguments: KernelMode.allCases)
    func opaqueRGBMarkingIsUnchanged(mode: KernelMode) throws {
        var image = Fixtures.couponArt(width: 800, height: 400, format: .rgb8, seed: 41)
        var rng = SplitMix64(seed: 42)
        let payload = rng.bytes(300)
        try Watermark.embed(
            payload, into: &image, key: Fixtures.key(41), keyHint: 7, nonce: 0x0123_4567_89AB_CDEF, mode: mode)
        #expect(Self.hex(SHA256.hash(data: image.bytes)) == Self.opaqueRGBDigest)
    }

    /// A coupon minted by `coupon mint` at c289f18: its watermark still gives the same
    /// sealed payload, an intact tamper grid and the same artwork digest.
    @Test func couponMintedBeforeStillReads() throws {
        let image = try PNGDecoder().decode(try Self.file("coupon.png"), as: .rgb8).image
        #expect(image.format == .rgb8)
        let keyBytes = try #require(Data(base64Encoded: try Self.text("coupon.watermark-key")))
        let key = try WatermarkKey(bytes: [UInt8](keyBytes))
        let verified = try MarkedImage(image).verify(key: key)
        #expect(Self.hex(verified.payload.payload) == (try Self.text("coupon.payload.hex")))
        #expect(verified.payload.header.keyHint == 1)
        #expect(verified.tamper.isIntact)
        #expect(Self.hex(verified.artworkDigest) == (try Self.text("coupon.artwork-digest.hex")))
    }

    /// An RGBA mark made when the key schedule's context still named 4 channels: readers
    /// fall back to that context, also on its flattened RGB copy.
    @Test func legacyRGBAMarkStillReads() throws {
        let image = try PNGDecoder().decode(try Self.file("legacy-rgba.png"), as: .rgba8).image
        #expect(image.hasTransparency)
        // Made under the legacy context: no header where new marks put theirs.
        #expect(throws: WatermarkError.noWatermark) { try HeaderLayout(Geometry(image)).read(image, mode: .simd) }
        var rng = SplitMix64(seed: 44)
        let payload = rng.bytes(100)
        let key = Fixtures.key(43)
        let verified = try MarkedImage(image).verify(key: key)
        #expect(verified.payload.payload == payload)
        #expect(verified.payload.header.keyHint == 9)
        #expect(verified.tamper.isIntact)
        let flat = try #require(TransparentImages.flattened(image, over: [255, 255, 255]).toRGB())
        #expect(try Watermark.extract(from: flat, key: key).payload == payload)
    }
}
