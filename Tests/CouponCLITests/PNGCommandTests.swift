import Foundation
import ImageCore
import PNGCodec
import TestSupport
import Testing

/// `coupon png recode` and `coupon png bench` through the real binary.
@Suite struct PNGCommandTests {
    /// Recoding keeps the pixels (a palette PNG comes back as 8-bit RGB), writes at the
    /// given level, and a file that is not a PNG exits 3 without writing anything.
    @Test func recodeKeepsThePixels() async throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let source = CLIRunner.fixture("png/pngsuite/basi3p08.png")
        let result = try await CLIRunner.run(["png", "recode", source, path("out.png"), "--level", "9"])
        #expect(result.status == 0, "\(result.stderr)")
        let original = try PNGDecoder().decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: source))), as: .rgb8)
        let recoded = try PNGDecoder().decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path("out.png")))), as: .rgb8)
        #expect(recoded.header.bitDepth == 8 && recoded.header.colorType == .rgb)
        #expect(recoded.image == original.image)

        try Data("not a picture".utf8).write(to: URL(fileURLWithPath: path("bad.png")))
        let bad = try await CLIRunner.run(["png", "recode", path("bad.png"), path("never.png")])
        #expect(bad.status == 3)
        #expect(bad.stderr.contains(path("bad.png")))
        #expect(!FileManager.default.fileExists(atPath: path("never.png")))
    }

    @Test func benchPrintsItsFields() async throws {
        let result = try await CLIRunner.run(["png", "bench", CLIRunner.fixture("png/pngsuite/basi3p08.png"), "--runs", "1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(Set(json.keys) == ["width", "height", "decode_ms", "encode_ms", "encoded_bytes", "level", "filter", "runs"])
        #expect(json["width"] as? Int == 32 && json["height"] as? Int == 32 && json["runs"] as? Int == 1)
    }
}
