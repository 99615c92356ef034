import ImageCore
import TestSupport
import Testing

@testable import Watermark

/// Goal 5: the payload survives a painted quarter, 1% flipped low bits, and both together.
@Suite struct RobustnessTests {
    static let width = 800
    static let height = 400

    /// Top-left corners of the painted half-width x half-height rectangle.
    static let positions: [(Int, Int)] = [
        (0, 0), (400, 0), (0, 200), (400, 200), (200, 100), (123, 37), (399, 199), (17, 181),
    ]

    func marked(format: PixelFormat, payload: [UInt8], seed: UInt64) throws -> PixelBuffer {
        var image = Fixtures.couponArt(width: Self.width, height: Self.height, format: format, seed: seed)
        try Watermark.embed(payload, into: &image, key: Fixtures.key(seed), keyHint: 3)
        return image
    }

    @Test(arguments: PixelFormat.allCases)
    func paintedQuarter(format: PixelFormat) throws {
        var rng = SplitMix64(seed: 100)
        let payload = rng.bytes(512)
        let image = try marked(format: format, payload: payload, seed: 21)
        var worst = 0
        for (x, y) in Self.positions {
            var damaged = image
            let colour = rng.bytes(3)
            Fixtures.paint(&damaged, x: x, y: y, w: Self.width / 2, h: Self.height / 2, colour: colour)
            let out = try Watermark.extract(from: damaged, key: Fixtures.key(21))
            #expect(out.payload == payload, "painted at \(x),\(y)")
            worst = max(worst, out.correctedSymbols)
        }
        print("paintedQuarter \(format): worst corrected symbols \(worst)")
    }

    @Test(arguments: PixelFormat.allCases)
    func onePercentFlips(format: PixelFormat) throws {
        var rng = SplitMix64(seed: 200)
        let payload = rng.bytes(512)
        let image = try marked(format: format, payload: payload, seed: 22)
        for _ in 0..<3 {
            var damaged = image
            let flipped = Fixtures.flipLSBs(&damaged, rate: 0.01, rng: &rng)
            #expect(flipped > 9000)
            let out = try Watermark.extract(from: damaged, key: Fixtures.key(22))
            #expect(out.payload == payload)
            #expect(out.correctedSymbols >= 0)
        }
    }

    @Test(arguments: PixelFormat.allCases)
    func paintedQuarterAndFlips(format: PixelFormat) throws {
        var rng = SplitMix64(seed: 300)
        let payload = rng.bytes(512)
        let image = try marked(format: format, payload: payload, seed: 23)
        var worst = 0
        for (x, y) in Self.positions {
            var damaged = image
            Fixtures.paint(&damaged, x: x, y: y, w: Self.width / 2, h: Self.height / 2, colour: rng.bytes(3))
            Fixtures.flipLSBs(&damaged, rate: 0.01, rng: &rng)
            let out = try Watermark.extract(from: damaged, key: Fixtures.key(23))
            #expect(out.payload == payload, "painted at \(x),\(y) + flips")
            #expect(out.correctedSymbols > 0)
            worst = max(worst, out.correctedSymbols)
        }
        print("paintedQuarterAndFlips \(format): worst corrected symbols \(worst)")
    }

    @Test func destroyedPayloadIsReportedNotInvented() throws {
        var rng = SplitMix64(seed: 400)
        let payload = rng.bytes(256)
        var image = try marked(format: .rgb8, payload: payload, seed: 24)
        // Flip half of all low bits: far beyond any code.
        Fixtures.flipLSBs(&image, rate: 0.5, rng: &rng)
        do {
            let out = try Watermark.extract(from: image, key: Fixtures.key(24))
            Issue.record("unexpectedly decoded \(out.payload.count) bytes")
        } catch {
            #expect(error == .noWatermark || error == .payloadUnrecoverable)
        }
    }
}
