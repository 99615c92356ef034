import ImageCore

/// In-process micro-benchmarks for `coupon bench`: one synthetic coupon-like image, medians
/// of repeated samples timed with `ContinuousClock`. Not used by tests (no timed assertions).
public enum WatermarkBenchmark {
    /// Throughput of one kernel, in GB/s over the bytes the kernel reads.
    public struct KernelFigure: Sendable, Equatable {
        public let name: String
        public let simdGBps: Double
        public let scalarGBps: Double
    }

    /// Medians of one benchmark run.
    public struct Report: Sendable, Equatable {
        public let width: Int
        public let height: Int
        public let payloadBytes: Int
        /// memcpy of the image buffer (GB/s of bytes read).
        public let memcpyGBps: Double
        /// `digest` (NH grid pass over all bytes), `embed` and `extract` (all segments of the image).
        public let kernels: [KernelFigure]
        /// `Watermark.embed` (header + payload + digest grid), microseconds.
        public let markMicros: Double
        /// `Watermark.verify` (header + extract + digest check), microseconds.
        public let verifyMicros: Double
    }

    /// Runs every measurement for about `seconds` in total on a `width` x `height` RGB image
    /// carrying `payloadBytes` (clamped to capacity). Traps only on an image too small to mark.
    public static func run(width: Int = 800, height: Int = 400, payloadBytes: Int = 256, seconds: Double = 2)
        -> Report
    {
        let image = syntheticArt(width: width, height: height)
        let g = Geometry(image)
        var keyBytes = [UInt8](repeating: 0, count: 32)
        for i in 0..<32 { keyBytes[i] = UInt8(truncatingIfNeeded: i &* 37 &+ 11) }
        let key = try! WatermarkKey(bytes: keyBytes)
        let payloadCount = min(payloadBytes, g.payloadCapacity)
        let payload = (0..<payloadCount).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        let budget = Duration.milliseconds(Int(max(0.05, seconds) * 1000 / 9))
        let bytes = Double(image.bytes.count)

        // memcpy
        var destination = [UInt8](repeating: 0, count: image.bytes.count)
        let memcpyTime = median(budget: budget, size: image.bytes.count) {
            image.bytes.withUnsafeBytes { src in
                destination.withUnsafeMutableBytes { dst in
                    dst.baseAddress!.copyMemory(from: src.baseAddress!, byteCount: src.count)
                }
            }
        }
        blackHole(destination[destination.count / 2])

        // digest pass
        var nh = [UInt64](repeating: 0, count: g.blockCount)
        func digestTime(_ mode: KernelMode) -> Double {
            median(budget: budget, size: image.bytes.count) {
                image.bytes.withUnsafeBufferPointer { p in
                    key.nhKey.withUnsafeBufferPointer { k in
                        nh.withUnsafeMutableBufferPointer { out in
                            for i in out.indices { out[i] = 0 }
                            DigestKernel.blockNH(p.baseAddress!, geometry: g, key: k.baseAddress!, out: out, mode: mode)
                        }
                    }
                }
            }
        }
        // segment kernels over every segment of the image
        let offsets = (0..<g.segmentCount).map { g.segmentOffset($0) }
        let values = (0..<g.segmentCount).map { UInt64(truncatingIfNeeded: $0 &* 0x9E37_79B9) & 0xFFFF_FFFF_FFFF }
        let segmentBytes = Double(g.segmentCount * Layout.segmentPixels * g.channels)
        var scratch = image
        func embedTime(_ mode: KernelMode) -> Double {
            median(budget: budget, size: Int(segmentBytes)) {
                scratch.bytes.withUnsafeMutableBufferPointer { p in
                    offsets.withUnsafeBufferPointer { o in
                        values.withUnsafeBufferPointer { v in
                            SegmentKernels.write(
                                p.baseAddress!, offsets: o, values: v, channels: g.channels, mode: mode)
                        }
                    }
                }
            }
        }
        var readBack = [UInt64](repeating: 0, count: g.segmentCount)
        func extractTime(_ mode: KernelMode) -> Double {
            median(budget: budget, size: Int(segmentBytes)) {
                scratch.bytes.withUnsafeBufferPointer { p in
                    offsets.withUnsafeBufferPointer { o in
                        readBack.withUnsafeMutableBufferPointer { v in
                            SegmentKernels.read(p.baseAddress!, offsets: o, values: v, channels: g.channels, mode: mode)
                        }
                    }
                }
            }
        }
        let kernels = [
            KernelFigure(
                name: "digest", simdGBps: bytes / digestTime(.simd) / 1e9,
                scalarGBps: bytes / digestTime(.reference) / 1e9),
            KernelFigure(
                name: "embed", simdGBps: segmentBytes / embedTime(.simd) / 1e9,
                scalarGBps: segmentBytes / embedTime(.reference) / 1e9),
            KernelFigure(
                name: "extract", simdGBps: segmentBytes / extractTime(.simd) / 1e9,
                scalarGBps: segmentBytes / extractTime(.reference) / 1e9),
        ]
        blackHole(UInt8(truncatingIfNeeded: nh[0] ^ readBack[0]))

        var marked = image
        let markTime = median(budget: budget, size: 0) {
            marked = image
            try! Watermark.embed(payload, into: &marked, key: key, keyHint: 1, nonce: 1, mode: .simd)
        }
        // mark time includes the image copy; subtract a copy's cost (memcpy median).
        let verifyTime = median(budget: budget, size: 0) {
            let result = try! Watermark.verify(marked, key: key)
            blackHole(UInt8(truncatingIfNeeded: result.payload.payload.count))
        }
        return Report(
            width: width, height: height, payloadBytes: payloadCount, memcpyGBps: bytes / memcpyTime / 1e9,
            kernels: kernels, markMicros: max(0, markTime - memcpyTime) * 1e6, verifyMicros: verifyTime * 1e6)
    }

    /// A flat coupon-like RGB image: background, bands, blocky glyph rows.
    public static func syntheticArt(width: Int, height: Int) -> PixelBuffer {
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
    static func median(budget: Duration, size: Int, _ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        body()  // warm-up
        let once = clock.measure(body)
        let onceSeconds = max(1e-9, seconds(once))
        let callsPerSample = max(1, Int(1e-3 / onceSeconds))
        var samples: [Double] = []
        let start = clock.now
        while samples.count < 5 || (clock.now - start < budget && samples.count < 1000) {
            let t = clock.measure {
                for _ in 0..<callsPerSample { body() }
            }
            samples.append(seconds(t) / Double(callsPerSample))
        }
        samples.sort()
        return samples[samples.count / 2]
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    @inline(never) static func blackHole(_ x: UInt8) {
        if x == 0xA5 && sinkFlag { print("") }
    }

    nonisolated(unsafe) static var sinkFlag = false
}
