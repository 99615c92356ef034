import ImageCore
@testable import RobustMark
import Testing
import TestSupport

/// The kernels that build and whiten the detection frame, and the fold of the whole
/// frame, each against its scalar reference on random inputs: the same bits.
@Suite struct FrameKernelTests {
    static func randomImage(width: Int, height: Int, format: PixelFormat, seed: UInt64) -> PixelBuffer {
        var random = SplitMix64(seed: seed)
        var image = PixelBuffer(width: width, height: height, format: format)
        for i in image.bytes.indices { image.bytes[i] = UInt8(truncatingIfNeeded: random.next()) }
        return image
    }

    @Test(arguments: [PixelFormat.rgb8, .rgba8])
    func lumaRowsMatchTheirReference(format: PixelFormat) {
        // 53 pixels: thirteen vectors of 4 and a scalar tail.
        let width = 53
        let samples = SyncKernelTests.randomFloats(width * format.channels, seed: 41).map { $0 * 30 + 128 }
        var simd = [Float](repeating: 0, count: width), reference = simd
        LumaKernel.row(samples, count: width, channels: format.channels, into: &simd, mode: .simd)
        LumaKernel.row(samples, count: width, channels: format.channels, into: &reference, mode: .reference)
        #expect(simd == reference)
        let expected = (0..<width).map { x -> Float in
            let o = x * format.channels
            return 0.299 * samples[o] + 0.587 * samples[o + 1] + 0.114 * samples[o + 2]
        }
        #expect(reference == expected)
    }

    // (70, 20, 35, 10) and (66, 18, 33, 9) are exact halvings (HalvingKernel); (70, 21, 35, 10)
    // halves only the width, which takes FlatTaps' halving path.
    @Test(arguments: [
        (53, 31, 20, 12), (40, 30, 40, 30), (13, 9, 30, 20), (97, 20, 31, 11), (70, 20, 35, 10), (66, 18, 33, 9),
        (70, 21, 35, 10),
    ])
    func theFusedFrameMatchesItsReferenceAndTheResampledLuma(width: Int, height: Int, newWidth: Int, newHeight: Int) {
        for format in [PixelFormat.rgb8, .rgba8] {
            let seed = UInt64(width * 31 + newWidth)
            let image = Self.randomImage(width: width, height: height, format: format, seed: seed)
            let simd = Plane(luma: image, resampledTo: newWidth, newHeight, mode: .simd)
            let reference = Plane(luma: image, resampledTo: newWidth, newHeight, mode: .reference)
            #expect(simd.samples == reference.samples)
            // Against the full-size luma resampled along the rows first (ImageCore's
            // order): the same values up to float rounding.
            let luma = (0..<width * height).map { i in
                let o = i * format.channels
                return 0.299 * Float(image.bytes[o]) + 0.587 * Float(image.bytes[o + 1])
                    + 0.114 * Float(image.bytes[o + 2])
            }
            let resampled = Resampling.resample(
                luma, width: width, height: height, channels: 1, toWidth: newWidth, height: newHeight)
            #expect(zip(resampled, reference.samples).allSatisfy { abs($0 - $1) < 1e-3 })
        }
    }

    @Test func rowSumsMatchTheirReference() {
        var random = SplitMix64(seed: 42)
        let rows = (0..<3).map { _ in (0..<75).map { _ in UInt8(truncatingIfNeeded: random.next()) } }
        let weights: [Float] = [0.3, 0.5, 0.2]
        var simd = [Float](repeating: 0, count: 75), reference = simd
        for (k, row) in rows.enumerated() {
            simd.withUnsafeMutableBufferPointer {
                RowSum.add(row, weight: weights[k], into: $0, first: k == 0, mode: .simd)
            }
            reference.withUnsafeMutableBufferPointer {
                RowSum.add(row, weight: weights[k], into: $0, first: k == 0, mode: .reference)
            }
        }
        #expect(simd == reference)
        let expected = (0..<75).map { i in rows.indices.reduce(Float(0)) { $0 + weights[$1] * Float(rows[$1][i]) } }
        #expect(zip(reference, expected).allSatisfy { abs($0 - $1) < 1e-3 })
    }

    @Test(arguments: [(19, 7), (8, 1), (1, 5)])
    func boxMeansMatchTheirReference(width: Int, height: Int) {
        let plane = Plane(width: width, height: height, samples: SyncKernelTests.randomFloats(width * height, seed: 45))
        let simd = plane.boxMean3(mode: .simd), reference = plane.boxMean3(mode: .reference)
        #expect(simd.samples == reference.samples)
        // The mean of the 3 x 3 box, edges repeated.
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                for dy in -1...1 {
                    for dx in -1...1 {
                        sum += plane[x: min(max(x + dx, 0), width - 1), y: min(max(y + dy, 0), height - 1)]
                    }
                }
                #expect(abs(reference[x: x, y: y] - sum / 9) < 1e-4)
            }
        }
    }

    /// The clamped median search changes nothing the clip lets through: against the
    /// unclamped median of each pair's window, every pixel agrees unless its pair differs
    /// by 8 levels or more.
    @Test func theClampedMedianAgreesWithTheExactOne() {
        var random = SplitMix64(seed: 46)
        let width = 41, height = 23
        // Paper, dark text strokes and noise: medians far from many centres.
        let samples = (0..<width * height).map { i -> Float in
            let (x, y) = (i % width, i / width)
            let ink = (x / 3) % 4 == 0 && y % 7 < 5
            return (ink ? 40 : 235) + Float(Int(random.next() % 9) - 4)
        }
        let whitened = Whitening.whiten(Plane(width: width, height: height, samples: samples), mode: .simd)
        let level = { (x: Int, y: Int) -> Int in
            Int(min(max(samples[min(max(y, 0), height - 1) * width + min(max(x, 0), width - 1)], 0) + 0.5, 255))
        }
        var compared = 0
        for y in 0..<height {
            for x in 0..<width {
                let centre = x & ~1
                guard abs(level(x, y) - level(centre, y)) < 8 else { continue }
                var window: [Int] = []
                for dy in -3...3 { for dx in -3...3 { window.append(level(centre + dx, y + dy)) } }
                let median = window.sorted()[24]
                #expect(whitened[x: x, y: y] == Whitening.clip(Float(level(x, y) - median)), "(\(x), \(y))")
                compared += 1
            }
        }
        #expect(compared > width * height / 2)
        #expect(whitened.samples.contains { $0 != 0 })
    }

    @Test func levelsMatchTheirReference() {
        var random = SplitMix64(seed: 43)
        // Negative, past 255, exact halves (which round up) and everything between.
        let luma = (0..<77).map { k -> Float in
            k % 5 == 0 ? Float(Int(random.next() % 300) - 20) + 0.5 : Float(Int(random.next() % 30_000) - 1_000) / 100
        }
        var simd = [UInt8](repeating: 0, count: luma.count), reference = simd
        LevelKernel.levels(luma, count: luma.count, into: &simd, mode: .simd)
        LevelKernel.levels(luma, count: luma.count, into: &reference, mode: .reference)
        #expect(simd == reference)
        #expect(reference.contains(0) && reference.contains(255))
    }

    @Test func clippedDeviationsMatchTheirReference() {
        var random = SplitMix64(seed: 44)
        let levels = (0..<61).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        // Medians within a few levels of most samples, far from some: every branch of the clip.
        let medians = stride(from: 0, to: levels.count, by: 2).map { x in
            UInt8(clamping: Int(levels[x]) + Int(random.next() % 25) - 12)
        }
        var simd = [Float](repeating: 0, count: levels.count), reference = simd
        LevelKernel.clippedDeviations(levels, pairMedians: medians, count: levels.count, into: &simd, mode: .simd)
        LevelKernel.clippedDeviations(
            levels, pairMedians: medians, count: levels.count, into: &reference, mode: .reference)
        #expect(simd == reference)
        #expect(simd.map(\.bitPattern) == reference.map(\.bitPattern), "no -0 where the reference has +0")
        #expect(Set(reference).count > 8 && reference.contains(0))
        let expected = levels.indices.map { Whitening.clip(Float(levels[$0]) - Float(medians[$0 / 2])) }
        #expect(reference == expected)
    }

    @Test(arguments: [
        (400, 200, 1.0), (130, 100, 1.0), (96, 96, 1.0), (50, 300, 1.0), (400, 200, 1.1), (230, 200, 1.27),
    ])
    func foldsMatchTheirReference(width: Int, height: Int, scale: Double) {
        let samples = SyncKernelTests.randomFloats(width * height, seed: UInt64(width))
        let plane = Plane(width: width, height: height, samples: samples)
        let simd = TileFold(plane, scale: scale, mode: .simd)
        let reference = TileFold(plane, scale: scale, mode: .reference)
        #expect(simd.values == reference.values)
        // Each position the mean of the pixels that fall on it.
        let side = TileFold.side
        var sums = [Double](repeating: 0, count: side * side), counts = sums
        for y in 0..<height {
            for x in 0..<width {
                let at = (Int((Double(y) + 0.5) / scale) % side) * side + Int((Double(x) + 0.5) / scale) % side
                sums[at] += Double(plane[x: x, y: y])
                counts[at] += 1
            }
        }
        for i in 0..<side * side {
            #expect(abs(Double(reference.values[i]) - (counts[i] > 0 ? sums[i] / counts[i] : 0)) < 1e-3)
        }
    }
}
