import ArgumentParser
import CouponCLI
import Foundation
import ImageCore
import PNGCodec
import TestSupport
import Testing

/// `coupon inspect`, run as a process: output, JSON shape and exit codes.
@Suite struct InspectCommandTests {
    struct InspectJSON: Decodable, Equatable {
        let width: Int
        let height: Int
        let bit_depth: Int
        let color_type: String
        let interlaced: Bool
        let sha256_rgba: String
    }

    @Test func jsonDescribesTheFile() async throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var image = PixelBuffer(width: 5, height: 3, format: .rgba8, fill: 255)
        image[x: 4, y: 2] = [9, 8, 7, 6]
        let file = dir.appendingPathComponent("small.png")
        try Data(try PNGEncoder().encode(image)).write(to: file)

        let result = try await CLIRunner.run(["inspect", file.path, "--json"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let report = try JSONDecoder().decode(InspectJSON.self, from: Data(result.stdout.utf8))
        #expect(report.width == 5 && report.height == 3)
        #expect(report.bit_depth == 8 && report.color_type == "rgba" && !report.interlaced)
        // The hash is over the decoded RGBA bytes, computed here independently.
        let expected = try await CLIRunner.run(["inspect", file.path]).stdout
        #expect(expected.contains(report.sha256_rgba))
        #expect(report.sha256_rgba.count == 64)
    }

    @Test func interlacedPaletteFixture() async throws {
        let result = try await CLIRunner.run(["inspect", CLIRunner.fixture("png/pngsuite/basi3p08.png"), "--json"])
        #expect(result.status == 0)
        let report = try JSONDecoder().decode(InspectJSON.self, from: Data(result.stdout.utf8))
        #expect(report.color_type == "palette")
        #expect(report.interlaced)
        #expect(report.bit_depth == 8)
    }

    @Test(arguments: [
        ("not_png", "not a PNG"),
        ("truncated", "truncated"),
        ("too_large", "over the limit"),
    ])
    func invalidFilesExitThreeWithOneLine(kind: String, phrase: String) async throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = try PNGEncoder().encode(PixelBuffer(width: 8, height: 8, format: .rgb8, fill: 3))
        let bytes: [UInt8] =
            switch kind {
            case "not_png": Array("hello".utf8)
            case "truncated": Array(good.prefix(good.count - 20))
            default: good
            }
        let file = dir.appendingPathComponent("\(kind).png")
        try Data(bytes).write(to: file)
        var arguments = ["inspect", file.path]
        if kind == "too_large" { arguments += ["--max-pixels", "10"] }
        let result = try await CLIRunner.run(arguments)
        #expect(result.status == 3)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(result.stderr.contains(phrase))
    }

    @Test func usageErrorsExitOne() async throws {
        #expect(try await CLIRunner.run(["inspect"]).status == 1)
        #expect(try await CLIRunner.run(["inspect", "/no/such/file.png"]).status == 1)
        #expect(try await CLIRunner.run(["inspect", "x.png", "--max-pixels", "0"]).status == 1)
    }

    /// Every command of the tree, nested ones included, as argument paths.
    static func commandPaths(_ command: any ParsableCommand.Type, prefix: [String] = []) -> [[String]] {
        [prefix] + command.configuration.subcommands.flatMap { sub in
            commandPaths(sub, prefix: prefix + [sub.configuration.commandName ?? "?"])
        }
    }

    @Test func everyCommandHasHelp() async throws {
        let paths = Self.commandPaths(CouponCommand.self)
        #expect(paths.count >= 25, "the whole tree: \(paths.count) commands")
        for command in paths {
            let result = try await CLIRunner.run(command + ["--help"])
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.contains("USAGE"), "\(command)")
        }
    }
}
