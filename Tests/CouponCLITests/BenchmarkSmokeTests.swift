import ImageCore
import PNGCodec
import Testing
import Watermark

@testable import CouponCLI

/// Shape of `coupon bench`'s in-process report only: no timed assertions.
@Suite struct BenchmarkSmokeTests {
    @Test func reportHasEveryKernel() throws {
        let report = try WatermarkBenchmark.run(width: 160, height: 96, payloadBytes: 64, seconds: 0.05)
        #expect(report.width == 160 && report.height == 96)
        #expect(report.payloadBytes == 64)
        #expect(report.kernels.map(\.name) == ["digest", "embed", "extract"])
        for k in report.kernels { #expect(k.simdGbps > 0 && k.scalarGbps > 0) }
        #expect(report.memcpyGbps > 0 && report.verifyUs > 0 && report.pngEncodeMs > 0 && report.pngDecodeMs > 0)
    }

    @Test func syntheticArtIsMarkable() throws {
        var art = WatermarkBenchmark.syntheticArt(width: 200, height: 100)
        let key = try WatermarkKey(bytes: [UInt8](repeating: 90, count: 32))
        try Watermark.embed([5, 6], into: &art, key: key)
        #expect(try Watermark.extract(from: art, key: key).payload == [5, 6])
    }

    /// The benchmark image is denser flat art than a coupon (bands plus a field of blocky
    /// glyphs; PNG ~20 KB): a 256-byte payload still grows its PNG at most 1.5x.
    @Test func benchmarkArtGrowsAtMostHalf() throws {
        let art = WatermarkBenchmark.syntheticArt(width: 800, height: 400)
        let encoder = PNGEncoder(level: 6, filter: .adaptive)
        let plain = try encoder.encode(art).count
        for seed in 0..<3 {
            var marked = art
            let key = try WatermarkKey(bytes: (0..<32).map { UInt8(truncatingIfNeeded: $0 * 7 + seed) })
            try Watermark.embed((0..<256).map { UInt8(truncatingIfNeeded: $0 * 13 + seed) }, into: &marked, key: key)
            let ratio = Double(try encoder.encode(marked).count) / Double(plain)
            #expect(ratio <= 1.5, "256-byte payload grew the benchmark art PNG \(ratio)x")
        }
    }

    @Test func tooSmallAnImageIsAnErrorNotATrap() {
        #expect(throws: WatermarkError.self) { try WatermarkBenchmark.run(width: 16, height: 2, seconds: 0.01) }
    }
}
