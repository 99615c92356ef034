import ImageCore
import PNGCodec
import TestSupport
import Testing

/// Untrusted input: every kind of damage is its own clear error, never a crash, an
/// abort, a hang or a huge allocation.
@Suite struct MalformedTests {
    /// A valid 16x8 RGB PNG stored without compression or filtering, so the filter
    /// bytes of each row sit in the IDAT as plain bytes.
    static func storedPNG() throws -> [UInt8] {
        var image = PixelBuffer(width: 16, height: 8, format: .rgb8)
        for i in image.bytes.indices { image.bytes[i] = UInt8(i % 251) }
        return try PNGEncoder(level: 0, filter: .none).encode(image)
    }

    @Test func emptyInput() {
        #expect(throws: PNGError.empty) { try PNGDecoder().decode([]) }
    }

    @Test func notAPNG() {
        #expect(throws: PNGError.notPNG) { try PNGDecoder().decode(Array("GIF89a, certainly not a PNG".utf8)) }
        #expect(throws: PNGError.notPNG) { try PNGDecoder().decode([0x47, 0x49, 0x46]) }
    }

    @Test func truncatedInsideImageData() throws {
        let png = try Self.storedPNG()
        let idat = ChunkSurgery(bytes: png).first("IDAT")
        let cut = Array(png[..<(idat.dataRange.lowerBound + idat.length / 2)])
        #expect {
            try PNGDecoder().decode(cut)
        } throws: { error in
            guard case .truncated = error as? PNGError else { return false }
            return true
        }
    }

    @Test func truncatedInsideSignatureOrHeader() throws {
        let png = try Self.storedPNG()
        for length in [4, 8, 20, 33] {
            #expect(throws: PNGError.self) { try PNGDecoder().decode(Array(png[..<length])) }
        }
    }

    @Test func missingIEND() throws {
        let png = try Self.storedPNG()
        #expect(throws: PNGError.missingEnd) { try PNGDecoder().decode(Array(png.dropLast(12))) }
    }

    @Test func trailingGarbage() throws {
        let png = try Self.storedPNG()
        #expect(throws: PNGError.trailingData(bytes: 5)) { try PNGDecoder().decode(png + [1, 2, 3, 4, 5]) }
    }

    @Test func badCRCInImageData() throws {
        var png = try Self.storedPNG()
        let idat = ChunkSurgery(bytes: png).first("IDAT")
        png[idat.dataRange.lowerBound + 40] ^= 0x55
        #expect {
            try PNGDecoder().decode(png)
        } throws: { error in
            guard case .badCRC(let message) = error as? PNGError else { return false }
            return message.contains("CRC")
        }
    }

    @Test func badCRCInHeader() throws {
        var png = try Self.storedPNG()
        png[16 + 3] ^= 0x01  // width's low byte, CRC left alone
        #expect {
            try PNGDecoder().decode(png)
        } throws: { error in
            guard case .badCRC = error as? PNGError else { return false }
            return true
        }
    }

    @Test func badFilterByte() throws {
        var surgery = ChunkSurgery(bytes: try Self.storedPNG())
        // zlib header (2) + stored block header (5), then row 0's filter byte.
        let rowBytes = 16 * 3 + 1
        surgery.patch("IDAT", at: 2 + 5 + rowBytes * 2, with: [7])
        #expect {
            try PNGDecoder().decode(surgery.bytes)
        } throws: { error in
            guard case .badFilter = error as? PNGError else { return false }
            return true
        }
    }

    @Test(arguments: [(0, 8), (16, 0)])
    func zeroDimension(width: UInt32, height: UInt32) throws {
        var surgery = ChunkSurgery(bytes: try Self.storedPNG())
        surgery.patch("IHDR", at: 0, with: ChunkSurgery.bigEndian(width) + ChunkSurgery.bigEndian(height))
        #expect {
            try PNGDecoder().decode(surgery.bytes)
        } throws: { error in
            guard case .invalidHeader = error as? PNGError else { return false }
            return true
        }
    }

    @Test func invalidBitDepth() throws {
        var surgery = ChunkSurgery(bytes: try Self.storedPNG())
        surgery.patch("IHDR", at: 8, with: [3])  // bit depth 3 does not exist
        #expect {
            try PNGDecoder().decode(surgery.bytes)
        } throws: { error in
            guard case .invalidHeader = error as? PNGError else { return false }
            return true
        }
    }

    @Test func hugeDimensionsRefusedBeforeAllocation() throws {
        var surgery = ChunkSurgery(bytes: try Self.storedPNG())
        surgery.patch("IHDR", at: 0, with: ChunkSurgery.bigEndian(100_000) + ChunkSurgery.bigEndian(100_000))
        #expect(throws: PNGError.tooLarge(width: 100_000, height: 100_000, limit: 40_000_000)) {
            try PNGDecoder().decode(surgery.bytes)
        }
        // The header alone is still readable, for tools that only inspect.
        #expect(try PNGDecoder().header(of: surgery.bytes).width == 100_000)
    }

    @Test func limitIsConfigurable() throws {
        let png = try Self.storedPNG()
        let strict = PNGDecoder(limits: DecodeLimits(maxPixels: 127))
        #expect(throws: PNGError.tooLarge(width: 16, height: 8, limit: 127)) { try strict.decode(png) }
        #expect(try PNGDecoder(limits: DecodeLimits(maxPixels: 128)).decode(png).image.width == 16)
    }

    @Test func everyPrefixFailsCleanly() throws {
        let png = try PNGEncoder(level: 6).encode(PixelBuffer(width: 9, height: 9, format: .rgba8, fill: 7))
        for length in 0..<png.count {
            #expect(throws: PNGError.self) { try PNGDecoder().decode(Array(png[..<length])) }
        }
        #expect(try PNGDecoder().decode(png).image.width == 9)
    }

    @Test func randomByteFlipsNeverCrash() throws {
        let png = try Self.storedPNG()
        var random = SplitMix64(seed: 42)
        var failures = 0
        for _ in 0..<300 {
            var damaged = png
            let index = Int.random(in: 8..<damaged.count, using: &random)
            damaged[index] ^= UInt8.random(in: 1...255, using: &random)
            do { _ = try PNGDecoder().decode(damaged) } catch { failures += 1 }
        }
        #expect(failures > 250, "seed 42: most flips land in CRC-protected bytes and must be refused")
    }

    struct FixtureCase: CustomTestStringConvertible, Sendable {
        let file: String
        let expected: String
        var testDescription: String { file }
    }

    static let fixtureCases: [FixtureCase] = Fixtures.table("png/malformed/cases.tsv").compactMap { row in
        guard let file = row["file"], let expected = row["expected_error"] else { return nil }
        return FixtureCase(file: file, expected: expected)
    }

    @Test(arguments: fixtureCases)
    func malformedFixture(_ fixture: FixtureCase) throws {
        let bytes = try Fixtures.bytes("png/malformed/\(fixture.file)")
        #expect {
            try PNGDecoder().decode(bytes)
        } throws: { error in
            (error as? PNGError)?.kind == fixture.expected
        }
    }
}

extension PNGError {
    /// The names used in fixtures/png/malformed/cases.tsv.
    var kind: String {
        switch self {
        case .empty: "empty"
        case .notPNG: "not_png"
        case .truncated: "truncated"
        case .missingEnd: "missing_end"
        case .trailingData: "trailing_data"
        case .badCRC: "bad_crc"
        case .badFilter: "bad_filter"
        case .invalidHeader: "invalid_header"
        case .tooLarge: "too_large"
        case .hasTransparency: "has_transparency"
        case .corrupt: "corrupt"
        case .encodeFailed: "encode_failed"
        }
    }
}
