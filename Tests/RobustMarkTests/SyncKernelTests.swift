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
        let width = 37
        var image = PixelBuffer(width: width, height: 2, format: format)
        for i in image.bytes.indices { image.bytes[i] = UInt8(truncatingIfNeeded: random.next()) }
        let deltas = (0..<width).map { _ in Int16(Int(random.next() % 31) - 15) }
        var simd = image, reference = image
        var spread: [Int16] = []
        FieldKernel.add(deltas, toRow: 1, of: &simd, spread: &spread, mode: .simd)
        FieldKernel.add(deltas, toRow: 1, of: &reference, spread: &spread, mode: .reference)
        #expect(simd == reference)
        #expect(reference != image)
        #expect(reference.bytes.prefix(image.rowBytes) == image.bytes.prefix(image.rowBytes), "other rows untouched")
        if format == .rgba8 {
            #expect(stride(from: 3, to: image.bytes.count, by: 4).allSatisfy { reference.bytes[$0] == image.bytes[$0] })
        }
    }

    @Test func fieldDeltasMatchTheirReference() {
        let width = 45
        let field = Self.randomFloats(width, seed: 31).map { $0 / 8 }
        var gains = Self.randomFloats(width, seed: 32).map { $0 * 40 }  // some negative, some past the cap
        var referenceGains = gains
        FieldKernel.gains(&gains, mode: .simd)
        FieldKernel.gains(&referenceGains, mode: .reference)
        #expect(gains == referenceGains)
        #expect(referenceGains.min() == 1 && referenceGains.max() == 2.5 && Set(referenceGains).count > 10)
        var simd = [Int16](repeating: 0, count: width), reference = simd
        FieldKernel.deltas(field: field, gain: gains, amplitude: 1.8, into: &simd, mode: .simd)
        FieldKernel.deltas(field: field, gain: gains, amplitude: 1.8, into: &reference, mode: .reference)
        #expect(simd == reference)
        #expect(Set(reference).count > 3)

        // Exact ties (k + 0.5 at gain 1) round to even in both.
        let ties = (0..<24).map { Float($0 - 12) + 0.5 }
        var simdTies = [Int16](repeating: 0, count: ties.count), referenceTies = simdTies
        let flat = [Float](repeating: 1, count: ties.count)
        FieldKernel.deltas(field: ties, gain: flat, amplitude: 1, into: &simdTies, mode: .simd)
        FieldKernel.deltas(field: ties, gain: flat, amplitude: 1, into: &referenceTies, mode: .reference)
        #expect(simdTies == referenceTies)
        #expect(referenceTies.prefix(4) == [-12, -10, -10, -8])
    }

    @Test(arguments: [16, 21])
    func doubledRowsMatchTheirReference(width: Int) {
        let half = Self.randomFloats((width + 1) / 2, seed: 33)
        var simd = [Float](repeating: 0, count: width), reference = simd
        FieldKernel.doubled(half, into: &simd, mode: .simd)
        FieldKernel.doubled(half, into: &reference, mode: .reference)
        #expect(simd == reference)
        #expect(reference == (0..<width).map { half[$0 / 2] })
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
