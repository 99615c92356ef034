import ImageCore
import TestSupport
import Testing

@testable import Watermark

@Suite struct HeaderTests {
    @Test func wrongKeyIsToldApartFromNoWatermark() throws {
        var image = Fixtures.couponArt(width: 400, height: 200, format: .rgb8, seed: 4)
        let unmarked = image
        try Watermark.embed([9, 9, 9], into: &image, key: Fixtures.key(10), keyHint: 2026)
        #expect(throws: WatermarkError.wrongKey(keyHint: 2026)) {
            try Watermark.extract(from: image, key: Fixtures.key(11))
        }
        #expect(throws: WatermarkError.wrongKey(keyHint: 2026)) { try Watermark.check(image, key: Fixtures.key(11)) }
        #expect(throws: WatermarkError.noWatermark) { try Watermark.extract(from: unmarked, key: Fixtures.key(10)) }
        #expect(throws: WatermarkError.noWatermark) { try Watermark.readHeader(unmarked) }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func noiseIsNoWatermark(seed: UInt64) {
        let noise = TestImages.noise(width: 320, height: 240, format: .rgba8, seed: seed)
        #expect(throws: WatermarkError.noWatermark) { try Watermark.extract(from: noise, key: Fixtures.key(1)) }
    }

    @Test func headerReadsWithoutKey() throws {
        let key = Fixtures.key(12)
        var image = Fixtures.couponArt(width: 400, height: 200, format: .rgba8, seed: 4)
        try Watermark.embed([1], into: &image, key: key, keyHint: 0xDEAD_BEEF)
        let header = try Watermark.readHeader(image)
        #expect(header.keyHint == 0xDEAD_BEEF)
        #expect(header.keyFingerprint == key.fingerprint)
        #expect(header.version == Watermark.formatVersion)
        // A member with several keys picks the right one by fingerprint.
        let keys = [Fixtures.key(13), key, Fixtures.key(14)]
        #expect(keys.firstIndex { $0.fingerprint == header.keyFingerprint } == 1)
    }

    @Test func keyLength() {
        #expect(throws: WatermarkError.invalidKeyLength(31)) {
            try WatermarkKey(bytes: [UInt8](repeating: 1, count: 31))
        }
        #expect(Fixtures.key(1).fingerprint != Fixtures.key(2).fingerprint)
        #expect(Fixtures.key(1).fingerprint.count == 8)
    }

    @Test(arguments: [UInt8(0), 0xFF])
    func writtenLowBitsLookRandom(fill: UInt8) throws {
        // A constant payload on a flat image (LSB 0 everywhere): if the written bits were not
        // whitened, nearly all would be 0 (or 1); whitened, about half of them are 1.
        var image = PixelBuffer(width: 256, height: 128, format: .rgb8, fill: 128)
        let payload = [UInt8](repeating: fill, count: 400)
        try Watermark.embed(payload, into: &image, key: Fixtures.key(5))
        let g = Geometry(image)
        let written =
            (Layout.headerCells + Layout.cellsNeeded(payload: payload.count)) * Layout.cellRows * Layout.segmentBits
            + g.blockCount * Layout.tagBits
        let ones = image.bytes.filter { $0 == 129 }.count
        let fraction = Double(ones) / Double(written)
        #expect(fraction > 0.47 && fraction < 0.53, "fraction of ones \(fraction)")
    }
}
