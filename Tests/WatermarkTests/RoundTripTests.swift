import ImageCore
import TestSupport
import Testing

@_spi(Benchmarks) @testable import Watermark

@Suite struct RoundTripTests {
    @Test(arguments: [
        (800, 400, PixelFormat.rgb8), (800, 400, .rgba8), (333, 217, .rgb8), (257, 131, .rgba8), (64, 48, .rgb8),
    ])
    func roundTrip(width: Int, height: Int, format: PixelFormat) throws {
        let key = Fixtures.key(1)
        var rng = SplitMix64(seed: UInt64(width * height))
        let original = Fixtures.couponArt(width: width, height: height, format: format, seed: 5)
        let capacity = Watermark.capacity(width: width, height: height, format: format)
        let payload = rng.bytes(min(256, capacity))
        var marked = original
        try Watermark.embed(payload, into: &marked, key: key, keyHint: 0xC0FFEE)
        let out = try Watermark.extract(from: marked, key: key)
        #expect(out.payload == payload)
        #expect(out.correctedSymbols == 0)
        #expect(out.header.keyHint == 0xC0FFEE)
        #expect(out.header.keyFingerprint == key.fingerprint)
        let report = try Watermark.check(marked, key: key)
        #expect(report.isIntact)
        #expect(report.tamperedFraction == 0)
    }

    @Test(arguments: PixelFormat.allCases)
    func imperceptibleAndAlphaUntouched(format: PixelFormat) throws {
        var original = TestImages.noise(width: 301, height: 203, format: format, seed: 9)
        if format == .rgba8 {
            // Varied alpha, including 0 and 255, must survive bit for bit.
            for i in stride(from: 3, to: original.bytes.count, by: 4) {
                original.bytes[i] = UInt8(truncatingIfNeeded: i * 7)
            }
        }
        var marked = original
        var rng = SplitMix64(seed: 3)
        let payload = rng.bytes(300)
        try Watermark.embed(payload, into: &marked, key: Fixtures.key(2), keyHint: 1)
        var maxDelta = 0
        var changed = 0
        for i in 0..<original.bytes.count {
            let d = abs(Int(original.bytes[i]) - Int(marked.bytes[i]))
            maxDelta = max(maxDelta, d)
            if d != 0 { changed += 1 }
            if format == .rgba8 && i % 4 == 3 { #expect(d == 0) }
        }
        #expect(maxDelta == 1)
        #expect(changed > 0)
        #expect(original.psnr(to: marked) >= 48)
        #expect(try Watermark.extract(from: marked, key: Fixtures.key(2)).payload == payload)
    }

    @Test func emptyPayload() throws {
        var image = Fixtures.couponArt(width: 200, height: 120, format: .rgb8, seed: 1)
        try Watermark.embed([], into: &image, key: Fixtures.key(3))
        #expect(try Watermark.extract(from: image, key: Fixtures.key(3)).payload == [])
    }

    @Test func markingIsDeterministicForANonce() throws {
        let key = Fixtures.key(4)
        var a = Fixtures.couponArt(width: 160, height: 96, format: .rgba8, seed: 2)
        var b = a
        try Watermark.embed([1, 2, 3], into: &a, key: key, keyHint: 7, nonce: 42, mode: .simd)
        try Watermark.embed([1, 2, 3], into: &b, key: key, keyHint: 7, nonce: 42, mode: .reference)
        #expect(a == b)
        #expect(try Watermark.extract(from: a, key: key, mode: .reference).payload == [1, 2, 3])
    }
}
