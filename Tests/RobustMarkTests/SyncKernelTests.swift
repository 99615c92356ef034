import ImageCore
@testable import RobustMark
import Testing
import TestSupport

/// Each SIMD kernel of the detector against its scalar reference on random inputs: the
/// same bits, not merely close values.
@Suite struct SyncKernelTests {
    static func randomFloats(_ count: Int, seed: UInt64) -> [Float] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in Float(Int(random.next() % 2001) - 1000) / 125 }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func bumpFilterMatchesItsReference(seed: UInt64) {
        let side = TileFold.side
        let fold = Self.randomFloats(side * side, seed: seed)
        var simd = [Float](repeating: 0, count: side * side), reference = simd
        SyncKernels.bumpFilter(fold, into: &simd, mode: .simd)
        SyncKernels.bumpFilter(fold, into: &reference, mode: .reference)
        #expect(simd == reference)
        #expect(reference.contains { $0 != 0 })
    }

    @Test(arguments: [4, 5, 6] as [UInt64])
    func correlationMatchesItsReference(seed: UInt64) {
        let n = RobustLayout.tileCells
        let taps = PilotSync.Taps(RobustKey(bytes: [UInt8](repeating: UInt8(seed), count: 32))!.plan)
        let wrapped = Self.randomFloats(4 * n * n, seed: seed)
        var simd = [Float](repeating: 0, count: n * n), reference = simd
        SyncKernels.correlate(wrapped, taps: taps, into: &simd, mode: .simd)
        SyncKernels.correlate(wrapped, taps: taps, into: &reference, mode: .reference)
        #expect(simd == reference)
        #expect(reference.contains { $0 != 0 })
    }

    @Test(arguments: [7, 8] as [UInt64])
    func medianWhiteningMatchesItsReference(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        // Flat runs, edges and noise, at a width that is not a multiple of 16.
        let width = 53, height = 21
        let samples = (0..<width * height).map { i -> Float in
            let base: Float = (i % width) < 20 ? 240 : 30
            return base + Float(Int(random.next() % 17) - 8) + (random.next() % 7 == 0 ? 0.5 : 0)
        }
        let luma = Plane(width: width, height: height, samples: samples)
        let simd = Whitening.whiten(luma, mode: .simd), reference = Whitening.whiten(luma, mode: .reference)
        #expect(simd.samples == reference.samples)
        #expect(reference.samples.contains { $0 != 0 })
    }

    @Test(arguments: [PixelFormat.rgb8, .rgba8])
    func fieldAdditionMatchesItsReference(format: PixelFormat) {
        var random = SplitMix64(seed: 21)
        // A row of 37 pixels; one byte in four at either end of the range, where deltas saturate.
        let row = (0..<37 * format.channels).map { _ -> UInt8 in
            let value = random.next()
            return value % 4 == 0 ? (value % 8 == 0 ? 1 : 254) : UInt8(truncatingIfNeeded: value >> 8)
        }
        // Every byte's delta in -15...15, alpha's 0 (as the spread has them).
        let spread = row.indices.map { i in
            format == .rgba8 && i % 4 == 3 ? 0 : Int16(Int(random.next() % 31) - 15)
        }
        var simd = [UInt8](repeating: 0, count: row.count), reference = simd
        FieldKernel.add(spread, to: row, into: &simd, count: row.count, mode: .simd)
        FieldKernel.add(spread, to: row, into: &reference, count: row.count, mode: .reference)
        #expect(simd == reference)
        let expected = zip(row, spread).map { UInt8(min(max(Int($0) + Int($1), 0), 255)) }
        #expect(reference == expected)
        #expect(expected.contains(0) && expected.contains(255), "both ends saturate somewhere")
        if format == .rgba8 {
            #expect(stride(from: 3, to: row.count, by: 4).allSatisfy { reference[$0] == row[$0] }, "alpha kept")
        }
    }

    @Test func gainsMatchTheirReference() {
        var gains = Self.randomFloats(45, seed: 32).map { $0 * 40 }  // some negative, some past the cap
        var referenceGains = gains
        FieldKernel.gains(&gains, mode: .simd)
        FieldKernel.gains(&referenceGains, mode: .reference)
        #expect(gains == referenceGains)
        #expect(referenceGains.min() == 1 && referenceGains.max() == 2.5 && Set(referenceGains).count > 10)
    }

    /// 45 pixels: five vectors of 8 and a scalar tail, on each format.
    @Test(arguments: [PixelFormat.rgb8, .rgba8])
    func fieldSpreadMatchesItsReference(format: PixelFormat) {
        let width = 45, channels = format.channels
        let first = Self.randomFloats(width, seed: 31).map { $0 / 8 }
        let second = Self.randomFloats(width, seed: 34).map { $0 / 8 }
        let halfGains = Self.randomFloats((width + 1) / 2, seed: 35).map { 1.75 + $0 / 4 }
        let weights: (Float, Float) = (0.3, 0.7)
        var simd = [Int16](repeating: 99, count: width * channels), reference = simd
        FieldKernel.spread(
            field: first, second, weights: weights, halfGains: halfGains, amplitude: 1.8, width: width,
            channels: channels, into: &simd, mode: .simd)
        FieldKernel.spread(
            field: first, second, weights: weights, halfGains: halfGains, amplitude: 1.8, width: width,
            channels: channels, into: &reference, mode: .reference)
        #expect(simd == reference)
        let expected = (0..<width * channels).map { i -> Int16 in
            let x = i / channels
            guard i % channels < 3 else { return 0 }
            let field = weights.0 * first[x] + weights.1 * second[x]
            return Int16((1.8 * field * halfGains[x / 2]).rounded(.toNearestOrEven))
        }
        #expect(reference == expected)
        #expect(Set(reference).count > 3)

        // Exact ties (k + 0.5 at gain 1) round to even in both.
        let ties = (0..<24).map { Float($0 - 12) + 0.5 }, flat = [Float](repeating: 1, count: 12)
        var simdTies = [Int16](repeating: 0, count: 24 * channels), referenceTies = simdTies
        FieldKernel.spread(
            field: ties, ties, weights: (1, 0), halfGains: flat, amplitude: 1, width: 24, channels: channels,
            into: &simdTies, mode: .simd)
        FieldKernel.spread(
            field: ties, ties, weights: (1, 0), halfGains: flat, amplitude: 1, width: 24, channels: channels,
            into: &referenceTies, mode: .reference)
        #expect(simdTies == referenceTies)
        #expect(stride(from: 0, to: 4 * channels, by: channels).map { referenceTies[$0] } == [-12, -10, -10, -8])
    }

    @Test func bothModesFindTheSameMark() {
        let side = TileFold.side
        var image = PixelBuffer(width: 640, height: 320, format: .rgb8, fill: 200)
        for y in 100..<140 { for x in 60..<580 { image[x: x, y: y] = [40, 40, 40] } }
        let key = RobustKey(bytes: [UInt8](repeating: 9, count: 32))!
        let marked = RobustMark.embed(image, id: 42, key: key)
        let plan = key.plan
        let luma = Plane(luma: marked, resampledTo: 400, 200)
        let fold = TileFold(Whitening.whiten(luma), scale: 1)
        #expect(fold.values.count == side * side)
        let simd = PilotSync(fold, taps: .init(plan), mode: .simd)
        let reference = PilotSync(fold, taps: .init(plan), mode: .reference)
        #expect(simd.cells == reference.cells && simd.score == reference.score)
        #expect(RobustDetector.decode(simd, key: key, plan: plan) == 42)
    }
}
