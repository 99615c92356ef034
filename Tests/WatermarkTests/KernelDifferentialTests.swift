import ImageCore
import TestSupport
import Testing

@testable import Watermark

/// SIMD kernels against their scalar references on random data, odd lengths and widths.
@Suite struct KernelDifferentialTests {
    @Test func nhRunsOfEveryLength() {
        var rng = SplitMix64(seed: 60)
        let key = (0..<Layout.nhKeyWords).map { _ in UInt32.random(in: 0...UInt32.max, using: &rng) }
        let data = rng.bytes(Layout.maxBlockSide * 4 + 64)
        key.withUnsafeBufferPointer { k in
            data.withUnsafeBufferPointer { d in
                for channels in [3, 4] {
                    for count in stride(from: channels, through: Layout.maxBlockSide * channels, by: channels) {
                        let start = Int.random(in: 0..<(data.count - count + 1), using: &rng) / 4 * 4
                        let p = d.baseAddress! + start
                        let simd = DigestKernel.nhSIMD(p, count: count, key: k.baseAddress!, alphaMasked: channels == 4)
                        let reference = DigestKernel.nhReference(
                            p, count: count, key: k.baseAddress!, channels: channels)
                        #expect(simd == reference, "channels \(channels) count \(count)")
                    }
                }
            }
        }
    }

    @Test(arguments: [
        (17, 5, PixelFormat.rgb8), (33, 31, .rgba8), (95, 64, .rgb8), (131, 97, .rgba8), (257, 63, .rgb8),
    ])
    func blockDigestOnOddImages(width: Int, height: Int, format: PixelFormat) {
        let image = TestImages.noise(width: width, height: height, format: format, seed: UInt64(width))
        let key = Fixtures.key(61)
        let g = Geometry(image)
        var results: [[UInt64]] = []
        for mode in KernelMode.allCases {
            var out = [UInt64](repeating: 0, count: g.blockCount)
            image.bytes.withUnsafeBufferPointer { p in
                key.nhKey.withUnsafeBufferPointer { k in
                    out.withUnsafeMutableBufferPointer { o in
                        DigestKernel.blockNH(p.baseAddress!, geometry: g, key: k.baseAddress!, out: o, mode: mode)
                    }
                }
            }
            results.append(out)
        }
        #expect(results[0] == results[1])
        #expect(Set(results[0]).count == g.blockCount, "distinct random blocks give distinct NH")
    }

    @Test(arguments: [(16, 3, PixelFormat.rgb8), (47, 9, .rgba8), (161, 13, .rgb8), (99, 7, .rgba8)])
    func segmentWriteAndRead(width: Int, height: Int, format: PixelFormat) {
        var rng = SplitMix64(seed: UInt64(width * 31 + height))
        let image = TestImages.noise(width: width, height: height, format: format, seed: 7)
        let g = Geometry(image)
        let count = g.segmentCount
        // Every segment once, in a random order, with random 48-bit values.
        let segments = (0..<count).shuffled(using: &rng)
        let offsets = segments.map { g.segmentOffset($0) }
        let values = (0..<count).map { _ in rng.next() & 0xFFFF_FFFF_FFFF }
        var written: [PixelBuffer] = []
        for mode in KernelMode.allCases {
            var copy = image
            copy.bytes.withUnsafeMutableBufferPointer { p in
                offsets.withUnsafeBufferPointer { o in
                    values.withUnsafeBufferPointer { v in
                        SegmentKernels.write(p.baseAddress!, offsets: o, values: v, channels: g.channels, mode: mode)
                    }
                }
            }
            written.append(copy)
        }
        #expect(written[0] == written[1])
        for i in 0..<image.bytes.count {
            #expect(abs(Int(image.bytes[i]) - Int(written[0].bytes[i])) <= 1)
            if format == .rgba8 && i % 4 == 3 { #expect(image.bytes[i] == written[0].bytes[i]) }
        }
        for mode in KernelMode.allCases {
            var read = [UInt64](repeating: 0, count: count)
            written[0].bytes.withUnsafeBufferPointer { p in
                offsets.withUnsafeBufferPointer { o in
                    read.withUnsafeMutableBufferPointer { v in
                        SegmentKernels.read(p.baseAddress!, offsets: o, values: v, channels: g.channels, mode: mode)
                    }
                }
            }
            #expect(read == values, "\(mode)")
        }
    }
}
