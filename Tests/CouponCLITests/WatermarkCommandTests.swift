import Foundation
import ImageCore
import PNGCodec
import TestSupport
import Testing

/// `coupon watermark keygen/embed/extract/check` and `coupon bench --json`.
@Suite struct WatermarkCommandTests {
    @Test func embedExtractCheckAndTheirExitCodes() async throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        #expect(try await CLIRunner.run(["watermark", "keygen", "--out", path("k")]).status == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: path("k"))[.posixPermissions] as? Int == 0o600)
        #expect(try await CLIRunner.run(["watermark", "keygen", "--out", path("k")]).status == 1, "never overwrites")
        #expect(try await CLIRunner.run(["watermark", "keygen", "--out", path("k2")]).status == 0)

        var art = PixelBuffer(width: 640, height: 360, format: .rgb8, fill: 230)
        for y in 40..<120 { for x in 40..<600 { art[x: x, y: y] = [20, 60, UInt8(x % 256)] } }
        try Data(try PNGEncoder().encode(art)).write(to: URL(fileURLWithPath: path("in.png")))
        let payload = (0..<300).map { UInt8(($0 * 37) % 256) }
        try Data(payload).write(to: URL(fileURLWithPath: path("payload.bin")))

        let embed = try await CLIRunner.run(["watermark", "embed", "--key", path("k"), "--payload", path("payload.bin"), path("in.png"), path("out.png")])
        #expect(embed.status == 0, "\(embed.stderr)")
        let extract = try await CLIRunner.run(["watermark", "extract", "--key", path("k"), path("out.png"), "--out", path("back.bin")])
        #expect(extract.status == 0)
        #expect(extract.stderr.contains("corrected"))
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path("back.bin")))) == payload)

        #expect(try await CLIRunner.run(["watermark", "extract", "--key", path("k"), path("in.png")]).status == 3)
        #expect(try await CLIRunner.run(["watermark", "extract", "--key", path("k2"), path("out.png")]).status == 4)

        let clean = try await CLIRunner.run(["watermark", "check", "--key", path("k"), path("out.png"), "--json"])
        #expect(clean.status == 0)
        let cleanJSON = try #require(try JSONSerialization.jsonObject(with: Data(clean.stdout.utf8)) as? [String: Any])
        #expect(Set(cleanJSON.keys) == ["payload_bytes", "corrected_symbols", "tampered_blocks", "tampered_fraction"])
        #expect(cleanJSON["payload_bytes"] as? Int == 300)
        #expect((cleanJSON["tampered_blocks"] as? [Any])?.isEmpty == true)

        var marked = try PNGDecoder().decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path("out.png")))), as: .rgb8).image
        for y in 200..<216 { for x in 300..<316 { marked[x: x, y: y] = [255, 0, 0] } }
        try Data(try PNGEncoder().encode(marked)).write(to: URL(fileURLWithPath: path("edited.png")))
        let edited = try await CLIRunner.run(["watermark", "check", "--key", path("k"), path("edited.png"), "--json"])
        #expect(edited.status == 6)
        let editedJSON = try #require(try JSONSerialization.jsonObject(with: Data(edited.stdout.utf8)) as? [String: Any])
        let blocks = try #require(editedJSON["tampered_blocks"] as? [[Int]])
        #expect(!blocks.isEmpty)
        #expect(blocks.allSatisfy { $0.count == 4 && $0[0] <= 315 && $0[0] + $0[2] > 300 && $0[1] <= 215 && $0[1] + $0[3] > 200 })

        try Data(repeating: 7, count: 100_000).write(to: URL(fileURLWithPath: path("big.bin")))
        let tooBig = try await CLIRunner.run(["watermark", "embed", "--key", path("k"), "--payload", path("big.bin"), path("in.png"), path("x.png")])
        #expect(tooBig.status == 1)
        #expect(tooBig.stderr.contains("capacity"))
        #expect(!FileManager.default.fileExists(atPath: path("x.png")))
    }

    /// Both layers' keygens write one kind of file (32 random bytes, base64, one line), so a
    /// key file of either reads as a key of the other; a file that is not one is refused with
    /// its path and the layer's name for it (exit 1). The help still tells the two apart.
    @Test func bothLayersShareTheKeyFileFormat() async throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        var keys: [[UInt8]] = []
        for (keygen, name) in [("keygen", "fragile"), ("robust-keygen", "robust")] {
            #expect(try await CLIRunner.run(["watermark", keygen, "--out", path(name)]).status == 0)
            let text = try String(contentsOfFile: path(name), encoding: .utf8)
            #expect(text.hasSuffix("\n") && text.filter { $0 == "\n" }.count == 1, "\(name)")
            keys.append([UInt8](try #require(Data(base64Encoded: String(text.dropLast())))))
        }
        #expect(keys.map(\.count) == [32, 32])
        #expect(keys[0] != keys[1])

        let art = PixelBuffer(width: 320, height: 160, format: .rgb8, fill: 200)
        try Data(try PNGEncoder().encode(art)).write(to: URL(fileURLWithPath: path("plain.png")))
        #expect(try await CLIRunner.run(["watermark", "extract", "--key", path("robust"), path("plain.png")]).status == 3)
        #expect(try await CLIRunner.run(["watermark", "robust-detect", "--key", path("fragile"), path("plain.png")]).status == 3)

        try Data("not a key\n".utf8).write(to: URL(fileURLWithPath: path("bad")))
        let fragile = try await CLIRunner.run(["watermark", "extract", "--key", path("bad"), path("plain.png")])
        #expect(fragile.status == 1)
        #expect(fragile.stderr.contains("\(path("bad")) is not a watermark key (base64 of 32 bytes)"))
        let robust = try await CLIRunner.run(["watermark", "robust-detect", "--key", path("bad"), path("plain.png")])
        #expect(robust.status == 1)
        #expect(robust.stderr.contains("\(path("bad")) is not a robust key (base64 of 32 bytes)"))

        let fragileHelp = try await CLIRunner.run(["watermark", "keygen", "--help"]).stdout
        #expect(fragileHelp.contains("OVERVIEW: Write a new watermark key: 32 random bytes, base64, mode 0600."))
        #expect(fragileHelp.contains("USAGE: coupon watermark keygen --out <out>"))
        let robustHelp = try await CLIRunner.run(["watermark", "robust-keygen", "--help"]).stdout
        #expect(robustHelp.contains("OVERVIEW: Write a new robust-layer key: 32 random bytes, base64, mode 0600."))
        #expect(robustHelp.contains("USAGE: coupon watermark robust-keygen --out <out>"))
    }

    @Test func benchPrintsTheContractFields() async throws {
        let result = try await CLIRunner.run(["bench", "--json", "--width", "256", "--height", "128", "--seconds", "0.3"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(Set(json.keys) == [
            "width", "height", "payload_bytes", "memcpy_gbps", "kernels", "mark_us", "verify_us", "png_encode_ms",
            "png_decode_ms", "robust_embed_us", "robust_detect_us", "robust_detect_pasted_us",
            "robust_detect_unmarked_us",
        ])
        #expect((json["robust_detect_us"] as? Double ?? 0) > 0)
        #expect((json["robust_detect_unmarked_us"] as? Double ?? 0) > 0)
        #expect((json["robust_detect_pasted_us"] as? Double ?? 0) > 0)
        let kernels = try #require(json["kernels"] as? [[String: Any]])
        #expect(Set(kernels.compactMap { $0["name"] as? String }) == ["digest", "embed", "extract"])
        #expect(kernels.allSatisfy { ($0["simd_gbps"] as? Double ?? 0) > 0 && ($0["scalar_gbps"] as? Double ?? 0) > 0 })
    }
}
