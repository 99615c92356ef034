import ImageCore
import PNGCodec
import RobustMark
@_spi(Benchmarks) import Watermark

/// In-process micro-benchmarks for `coupon bench`: one synthetic coupon-like image, medians
/// of repeated samples timed with `ContinuousClock`, and PNG coding of the same image. Not used by tests (no timed assertions).
enum WatermarkBenchmark {
    /// Throughput of one kernel, in GB/s over the bytes the kernel reads.
    struct KernelFigure: Sendable, Equatable, Encodable {
        let name: String
        let simdGbps: Double
        let scalarGbps: Double
    }

    /// Medians of one benchmark run; encoded as `coupon bench --json` prints it.
    struct Report: Sendable, Equatable, Encodable {
        let width, height: Int
        let payloadBytes: Int
        /// memcpy of the image buffer (GB/s of bytes read).
        let memcpyGbps: Double
        /// `digest` (NH grid pass over all bytes), `embed` and `extract` (all segments of the image).
        let kernels: [KernelFigure]
        /// `Watermark.embed` (header + payload + digest grid), microseconds.
        let markUs: Double
        /// `Watermark.verify` (header + extract + digest check), microseconds.
        let verifyUs: Double
        /// PNG encode and decode of the image at default settings, milliseconds.
        let pngEncodeMs, pngDecodeMs: Double
        /// `RobustMark.embed` and `RobustMark.detect` (of the image as marked), microseconds.
        let robustEmbedUs, robustDetectUs: Double
        /// `RobustMark.detect` of the marked image pasted into a white canvas 1.25 times its
        /// size (the grid is searched for), and of the image unmarked (the whole search, in
        /// vain), microseconds.
        let robustDetectPastedUs, robustDetectUnmarkedUs: Double
        /// A value folded from every timed result, so that no timed work is dead code.
        let checksum: UInt64

        enum CodingKeys: String, CodingKey {
            case width, height, payloadBytes, memcpyGbps, kernels, markUs, verifyUs, pngEncodeMs, pngDecodeMs
            case robustEmbedUs, robustDetectUs, robustDetectPastedUs, robustDetectUnmarkedUs
        }
    }

    /// Runs every measurement for about `seconds` in total on a `width` x `height` RGB image
    /// carrying `payloadBytes` (clamped to capacity), then PNG coding of the same image.
    /// Throws `WatermarkError` for an image too small to mark.
    static func run(width: Int = 800, height: Int = 400, payloadBytes: Int = 256, seconds: Double = 2) throws -> Report {
        let image = syntheticArt(width: width, height: height)
        let key = try WatermarkKey(bytes: (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
        var probe = KernelProbe(image: image, key: key)
        let payloadCount = min(payloadBytes, probe.payloadCapacity)
        let payload = (0..<payloadCount).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        let budget = Duration.milliseconds(Int(max(0.05, seconds) * 1000 / 9))
        let bytes = Double(image.bytes.count)
        var sink: UInt64 = 0

        var destination = [UInt8](repeating: 0, count: image.bytes.count)
        let memcpyTime = median(budget: budget) {
            image.bytes.withUnsafeBytes { src in
                destination.withUnsafeMutableBytes { dst in
                    dst.baseAddress!.copyMemory(from: src.baseAddress!, byteCount: src.count)
                }
            }
        }
        sink &+= UInt64(destination[destination.count / 2])

        func throughput(_ size: Double, _ kernel: (inout KernelProbe, KernelMode) -> UInt64) -> (Double, Double) {
            let times = KernelMode.allCases.map { mode in median(budget: budget) { sink &+= kernel(&probe, mode) } }
            return (size / times[0] / 1e9, size / times[1] / 1e9)
        }
        let segmentBytes = Double(probe.segmentBytes)
        let digest = throughput(bytes) { $0.digest(mode: $1) }
        let embed = throughput(segmentBytes) { $0.embed(mode: $1) }
        let extract = throughput(segmentBytes) { $0.extract(mode: $1) }
        let kernels = [
            KernelFigure(name: "digest", simdGbps: digest.0, scalarGbps: digest.1),
            KernelFigure(name: "embed", simdGbps: embed.0, scalarGbps: embed.1),
            KernelFigure(name: "extract", simdGbps: extract.0, scalarGbps: extract.1),
        ]

        var marked = image
        let markTime = try median(budget: budget) { () throws(WatermarkError) in
            marked = image
            try Watermark.embed(payload, into: &marked, key: key, keyHint: 1, nonce: 1, mode: .simd)
        }
        let verifyTime = try median(budget: budget) { () throws(WatermarkError) in
            sink &+= UInt64(try Watermark.verify(marked, key: key).payload.payload.count)
        }
        let robustKey = RobustKey(bytes: (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 29 &+ 3) })!
        var robustMarked = image
        let robustEmbedTime = median(budget: budget) { robustMarked = RobustMark.embed(image, id: 0xC0FFEE, key: robustKey) }
        let robustDetectTime = median(budget: budget) {
            sink &+= RobustMark.detect(robustMarked, key: robustKey)?.id ?? 0
        }
        let pasted = pastedOnWhite(robustMarked)
        let robustPastedTime = median(budget: budget) { sink &+= RobustMark.detect(pasted, key: robustKey)?.id ?? 0 }
        let robustUnmarkedTime = median(budget: budget) { sink &+= RobustMark.detect(image, key: robustKey)?.id ?? 1 }
        let encoder = PNGEncoder()
        let runs = max(3, min(25, Int(seconds * 4)))
        var encoded: [UInt8] = []
        let encodeMs = try Stopwatch.medianMilliseconds(runs: runs) { encoded = try encoder.encode(image) }
        let decodeMs = try Stopwatch.medianMilliseconds(runs: runs) {
            sink &+= UInt64(try PNGDecoder().decode(encoded, as: .rgb8).image.bytes.count)
        }
        // mark time includes the image copy; subtract a copy's cost (memcpy median).
        return Report(
            width: width, height: height, payloadBytes: payloadCount, memcpyGbps: bytes / memcpyTime / 1e9,
            kernels: kernels, markUs: max(0, markTime - memcpyTime) * 1e6, verifyUs: verifyTime * 1e6,
            pngEncodeMs: encodeMs, pngDecodeMs: decodeMs, robustEmbedUs: robustEmbedTime * 1e6,
            robustDetectUs: robustDetectTime * 1e6, robustDetectPastedUs: robustPastedTime * 1e6,
            robustDetectUnmarkedUs: robustUnmarkedTime * 1e6, checksum: sink)
    }

    /// `image` (RGB) in the middle of a white canvas 1.25 times its width and height.
    static func pastedOnWhite(_ image: PixelBuffer) -> PixelBuffer {
        let width = image.width * 5 / 4, height = image.height * 5 / 4
        var canvas = PixelBuffer(width: width, height: height, format: .rgb8)
        canvas.bytes.withUnsafeMutableBufferPointer { $0.update(repeating: 255) }
        let (left, top) = ((width - image.width) / 2, (height - image.height) / 2)
        for y in 0..<image.height {
            let from = y * image.rowBytes, to = (top + y) * canvas.rowBytes + left * 3
            canvas.bytes[to..<to + image.rowBytes] = image.bytes[from..<from + image.rowBytes]
        }
        return canvas
    }

    /// A flat coupon-like RGB image: background, bands, blocky glyph rows.
    static func syntheticArt(width: Int, height: Int) -> PixelBuffer {
        var image = PixelBuffer(width: width, height: height, format: .rgb8)
        var state: UInt64 = 0x1234_5678
        image.bytes.withUnsafeMutableBufferPointer { p in
            for y in 0..<height {
                for x in 0..<width {
                    var c: (UInt8, UInt8, UInt8) = (250, 246, 235)
                    if y < height / 6 { c = (200, 30, 45) } else if y >= height - height / 8 { c = (20, 60, 130) }
                    if (y / 4) % 9 < 7 && (x / 4) % 6 < 5 && y > height / 4 && y < height * 3 / 4 && x > width / 4
                        && x < width * 3 / 4
                    {
                        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                        if (state >> 33) & 3 == 0 { c = (30, 30, 30) }
                    }
                    let o = (y * width + x) * 3
                    p[o] = c.0
                    p[o + 1] = c.1
                    p[o + 2] = c.2
                }
            }
        }
        return image
    }

    /// Median seconds per call: each sample runs enough calls to take >= ~1 ms.
    static func median<E: Error>(budget: Duration, _ body: () throws(E) -> Void) throws(E) -> Double {
        let clock = ContinuousClock()
        try body()  // warm-up
        var t0 = clock.now
        try body()
        let callsPerSample = max(1, Int(1e-3 / max(1e-9, seconds(clock.now - t0))))
        var samples: [Double] = []
        let start = clock.now
        while samples.count < 5 || (clock.now - start < budget && samples.count < 1000) {
            t0 = clock.now
            for _ in 0..<callsPerSample { try body() }
            samples.append(seconds(clock.now - t0) / Double(callsPerSample))
        }
        samples.sort()
        return samples[samples.count / 2]
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
