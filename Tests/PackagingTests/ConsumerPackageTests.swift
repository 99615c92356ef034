import Foundation
import TestSupport
import Testing

/// The published library products work as a versioned dependency: a tiny package that
/// depends on this one by version (a clone of this repository's `HEAD`, tagged 1.0.0,
/// reached by a `file://` URL, so SwiftPM treats it as it treats a release: no
/// `unsafeFlags` allowed) uses each product, builds, and runs.
///
/// What is tested is the committed `HEAD`, as CI's fresh clone has it. Built as a
/// dependency, the package declares only its libraries and what they need (the end of
/// Package.swift), so the dependent neither resolves nor builds the rest.
@Suite(.timeLimit(.minutes(20))) struct ConsumerPackageTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let manifest = """
        // swift-tools-version: 6.0
        import PackageDescription

        let package = Package(
            name: "Consumer",
            platforms: [.macOS(.v15)],
            dependencies: [.package(url: "URL", from: "1.0.0")],
            targets: [
                .executableTarget(
                    name: "Consumer",
                    dependencies: [
                        .product(name: "ImageCore", package: "couponmark"),
                        .product(name: "PNGCodec", package: "couponmark"),
                        .product(name: "ImageFormats", package: "couponmark"),
                        .product(name: "Watermark", package: "couponmark"),
                        .product(name: "RobustMark", package: "couponmark"),
                    ])
            ]
        )
        """

    /// Uses every product once and prints what it found.
    static let main = """
        import ImageCore
        import ImageFormats
        import PNGCodec
        import RobustMark
        import Watermark

        // Two gradients: pure noise would hide the robust layer's mark (as it should).
        var image = PixelBuffer(width: 320, height: 160, format: .rgb8)
        for y in 0..<160 {
            for x in 0..<320 {
                let offset = image.offset(x: x, y: y)
                image.bytes[offset] = UInt8(64 + x * 128 / 320)
                image.bytes[offset + 1] = UInt8(64 + y * 128 / 160)
                image.bytes[offset + 2] = 128
            }
        }
        let png = try PNGEncoder().encode(image)
        let decoded = try PNGDecoder().decode(png, as: .rgb8).image
        let jpeg = try JPEGEncoder(quality: 90).encode(image)
        let fromJPEG = try ImageDecoder().decode(jpeg).image
        let key = try WatermarkKey(bytes: Array(repeating: 3, count: 32))
        var marked = image
        try Watermark.embed(Array("consumer".utf8), into: &marked, key: key)
        let payload = try Watermark.extract(from: marked, key: key).payload
        let robustKey = RobustKey(bytes: Array(repeating: 4, count: 32))!
        let robust = RobustMark.detect(RobustMark.embed(image, id: 0xC0FFEE, key: robustKey), key: robustKey)
        print("png \\(decoded == image) jpeg \\(fromJPEG.width)x\\(fromJPEG.height) watermark \\(String(decoding: payload, as: UTF8.self)) robust \\(robust.map { String($0.id, radix: 16) } ?? "none")")
        """

    @Test func aVersionedDependencyBuildsAndUsesEveryProduct() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("couponmark-consumer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let git = URL(fileURLWithPath: "/usr/bin/git")
        let release = work.appendingPathComponent("couponmark")
        try expectSuccess(await Self.run(git, ["clone", "--quiet", Self.repository.path, release.path], deadline: 120))
        try expectSuccess(await Self.run(git, ["-C", release.path, "tag", "1.0.0"], deadline: 30))

        let consumer = work.appendingPathComponent("consumer")
        let sources = consumer.appendingPathComponent("Sources/Consumer")
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        try Self.manifest.replacingOccurrences(of: "URL", with: release.absoluteString)
            .write(to: consumer.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try Self.main.write(to: sources.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)

        let swift = URL(fileURLWithPath: "/usr/bin/env")
        let built = try await Self.run(
            swift, ["swift", "build", "--package-path", consumer.path], deadline: 900)
        try expectSuccess(built)
        #expect(!built.stderr.contains("unsafe"), "\(built.stderr)")
        // A dependent resolves what the libraries need (swift-crypto and its own
        // dependency), not the server's and the CLI's packages.
        let checkouts = try FileManager.default.contentsOfDirectory(
            atPath: consumer.appendingPathComponent(".build/checkouts").path)
        #expect(Set(checkouts) == ["couponmark", "swift-crypto", "swift-asn1"], "\(checkouts.sorted())")
        let ran = try await Self.run(
            swift, ["swift", "run", "--skip-build", "--package-path", consumer.path, "Consumer"], deadline: 120)
        try expectSuccess(ran)
        #expect(ran.stdout.contains("png true jpeg 320x160 watermark consumer robust c0ffee"), "\(ran.stdout)")
    }

    /// Runs a tool to its end, or kills it at `deadline` seconds.
    static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:], deadline: TimeInterval
    ) async throws -> ProcessRunner.Result {
        try await ProcessRunner.run(executable, arguments, environment: environment, deadline: deadline)
    }

    private func expectSuccess(_ result: ProcessRunner.Result, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)", sourceLocation: sourceLocation)
        if result.status != 0 { throw CancellationError() }
    }
}
