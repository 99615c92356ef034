import ImageCore
import TestSupport
import Testing

@testable import Watermark

/// A verifier that knows its longest useful payload refuses a mark claiming more before
/// reading its chunks; marks within the bound verify as before.
@Suite struct PayloadBoundTests {
    @Test func aLongerPayloadThanTheCallerAllowsIsRefused() throws {
        let key = Fixtures.key(31)
        var image = Fixtures.couponArt(width: 800, height: 400, format: .rgb8, seed: 31)
        var rng = SplitMix64(seed: 31)
        let payload = rng.bytes(600)
        try Watermark.embed(payload, into: &image, key: key, keyHint: 1)
        let marked = try MarkedImage(image)
        #expect(throws: WatermarkError.payloadTooLarge(needed: 600, available: 599)) {
            try marked.verify(key: key, maxPayloadLength: 599)
        }
        #expect(try marked.verify(key: key, maxPayloadLength: 600).payload.payload == payload)
    }
}
