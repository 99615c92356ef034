import Testing

@testable import Watermark

/// Shape of the benchmark report only: no timed assertions.
@Suite struct BenchmarkSmokeTests {
    @Test func reportHasEveryKernel() {
        let report = WatermarkBenchmark.run(width: 160, height: 96, payloadBytes: 64, seconds: 0.05)
        #expect(report.width == 160 && report.height == 96)
        #expect(report.payloadBytes == 64)
        #expect(report.kernels.map(\.name) == ["digest", "embed", "extract"])
        for k in report.kernels { #expect(k.simdGBps > 0 && k.scalarGBps > 0) }
        #expect(report.memcpyGBps > 0 && report.verifyMicros > 0)
    }

    @Test func syntheticArtIsMarkable() throws {
        var art = WatermarkBenchmark.syntheticArt(width: 200, height: 100)
        let key = Fixtures.key(90)
        try Watermark.embed([5, 6], into: &art, key: key)
        #expect(try Watermark.extract(from: art, key: key).payload == [5, 6])
    }
}
