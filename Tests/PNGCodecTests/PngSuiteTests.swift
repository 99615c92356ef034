import Crypto
import ImageCore
import PNGCodec
import Testing

/// PngSuite, decoded and compared with golden RGBA computed independently (pure-Python
/// pypng plus the scaling rules, see tools/make_goldens.py).
@Suite struct PngSuiteTests {
    struct Golden: CustomTestStringConvertible, Sendable {
        let name: String
        let width: Int
        let height: Int
        let bitDepth: Int
        let colorType: String
        let interlaced: Bool
        let hasTransparency: Bool
        let sha256: String

        var testDescription: String { name }
    }

    static let goldens: [Golden] = Fixtures.table("png/pngsuite/golden.tsv").compactMap { row in
        guard let name = row["name"], let width = row["width"].flatMap(Int.init),
            let height = row["height"].flatMap(Int.init), let depth = row["bit_depth"].flatMap(Int.init),
            let colorType = row["color_type"], let sha = row["sha256_rgba"]
        else { return nil }
        return Golden(
            name: name, width: width, height: height, bitDepth: depth, colorType: colorType,
            interlaced: row["interlaced"] == "1", hasTransparency: row["has_transparency"] == "1", sha256: sha)
    }

    static let invalid: [String] = Fixtures.table("png/pngsuite/invalid.tsv").compactMap { $0["name"] }

    static func path(_ name: String) -> String {
        "png/pngsuite/" + (name.hasSuffix(".png") ? name : name + ".png")
    }

    /// The subset covers every colour type at every bit depth it allows, interlaced and
    /// not, with and without tRNS.
    @Test func suiteCoversEveryKindOfPNG() {
        let kinds = Set(Self.goldens.map { "\($0.colorType)/\($0.bitDepth)" })
        let required = ["gray/1", "gray/2", "gray/4", "gray/8", "gray/16", "rgb/8", "rgb/16", "palette/8",
                        "gray_alpha/8", "gray_alpha/16", "rgba/8", "rgba/16"]
        for kind in required { #expect(kinds.contains(kind), "no PngSuite image of kind \(kind)") }
        #expect(Self.goldens.contains { $0.interlaced })
        #expect(Self.goldens.contains { $0.hasTransparency && ($0.colorType == "palette" || $0.colorType == "rgb") })
        #expect(Self.invalid.count >= 10)
    }

    @Test(arguments: goldens)
    func decodesToGoldenRGBA(_ golden: Golden) throws {
        let bytes = try Fixtures.bytes(Self.path(golden.name))
        let decoded = try PNGDecoder().decode(bytes)
        #expect(decoded.header.width == golden.width)
        #expect(decoded.header.height == golden.height)
        #expect(decoded.header.bitDepth == golden.bitDepth)
        #expect(decoded.header.colorType.rawValue == golden.colorType)
        #expect(decoded.header.interlaced == golden.interlaced)
        #expect(decoded.image.format == .rgba8)
        #expect(decoded.image.bytes.count == golden.width * golden.height * 4)
        #expect(SHA256.hash(data: decoded.image.bytes).map { String(format2: $0) }.joined() == golden.sha256)
    }

    @Test(arguments: goldens)
    func decodesToRGBWhenOpaque(_ golden: Golden) throws {
        let bytes = try Fixtures.bytes(Self.path(golden.name))
        let rgba = try PNGDecoder().decode(bytes).image
        if rgba.hasTransparency {
            #expect(throws: PNGError.hasTransparency) { try PNGDecoder().decode(bytes, as: .rgb8) }
        } else {
            let rgb = try PNGDecoder().decode(bytes, as: .rgb8).image
            #expect(rgb.format == .rgb8)
            #expect(rgb.toRGBA() == rgba)
        }
    }

    @Test(arguments: invalid)
    func refusesCorruptSuiteFiles(_ name: String) throws {
        let bytes = try Fixtures.bytes(Self.path(name))
        #expect(throws: PNGError.self) { try PNGDecoder().decode(bytes) }
    }
}

extension String {
    /// Two lower-case hex digits.
    init(format2 byte: UInt8) {
        let digits = Array("0123456789abcdef")
        self = String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
