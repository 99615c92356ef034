import CouponKit
import Foundation
import FuzzTargets
import ImageCore
import Testing
import TestSupport
@_spi(Benchmarks) import Watermark

/// Writes the seeds that cannot be copied from other fixtures: marked images in the
/// watermark harness's raw form, and sealed tokens under its fixed key ring. Runs only on
/// request, `COUPONMARK_WRITE_FUZZ_SEEDS=1 swift test --filter SeedWriter` (sealing draws
/// a random nonce, so the bytes differ each time; the tests check what they open to).
@Suite struct SeedWriter {
    static let watermarkPayload = Array("couponmark fuzz seed".utf8)

    static let sealedTerms: [CouponTerms] = [
        CouponTerms(
            serial: "CPN-FUZZ-000001", productId: "prod_fuzz", title: "Fuzz Seed", discount: .rate(basisPoints: 1500),
            validFrom: 1_796_083_200, validUntil: 1_801_439_999, maxUsesTotal: 100, maxUsesPerMember: 1,
            issuerId: SealedTokenOpenTarget.issuer.publicKey.id, artworkDigest: [UInt8](repeating: 0xAB, count: 32)),
        CouponTerms(
            serial: "CPN-FUZZ-000002", productId: "prod_fuzz", title: "Five off",
            discount: .amount(Money(amount: 500, currency: Currency("EUR")!)), validFrom: 1_796_083_200,
            validUntil: 1_801_439_999, maxUsesTotal: nil, maxUsesPerMember: nil,
            issuerId: SealedTokenOpenTarget.issuer.publicKey.id),
    ]

    @Test(.enabled(if: ProcessInfo.processInfo.environment["COUPONMARK_WRITE_FUZZ_SEEDS"] == "1"))
    func writeSeeds() throws {
        // Watermark: seeded images, marked with a fixed nonce.
        let watermark = FuzzCorpus(target: .watermarkExtract).directory
        try FileManager.default.createDirectory(at: watermark, withIntermediateDirectories: true)
        let shapes: [(Int, Int, PixelFormat, KernelMode)] = [
            (192, 128, .rgb8, .simd), (160, 160, .rgba8, .simd), (256, 96, .rgb8, .reference),
        ]
        for (index, (width, height, format, mode)) in shapes.enumerated() {
            var image = TestImages.noise(width: width, height: height, format: format, seed: UInt64(100 + index))
            try Watermark.embed(
                Self.watermarkPayload, into: &image, key: WatermarkExtractTarget.key, keyHint: UInt32(index),
                nonce: 0x5EED_0000 + UInt64(index), mode: mode)
            let name = "seed-\(width)x\(height)-\(format == .rgba8 ? "rgba" : "rgb")-\(mode).bin"
            try Data(WatermarkExtractTarget.encode(image, mode: mode)).write(to: watermark.appendingPathComponent(name))
        }
        // Sealed tokens under the fixed ring, and the bare token encodings.
        let sealed = FuzzCorpus(target: .sealedTokenOpen).directory
        try FileManager.default.createDirectory(at: sealed, withIntermediateDirectories: true)
        for (index, terms) in Self.sealedTerms.enumerated() {
            let key = SealedTokenOpenTarget.revealKeys[index % SealedTokenOpenTarget.revealKeys.count]
            let bytes = try SealedToken.seal(terms, issuer: SealedTokenOpenTarget.issuer, revealKey: key)
            try Data(bytes).write(to: sealed.appendingPathComponent("seed-sealed-\(index + 1).bin"))
            // Not a seal, so not a `seed-`: the terms encoding `TokenCodec.decode` reads.
            try Data(TokenCodec.encode(terms)).write(to: sealed.appendingPathComponent("codec-token-\(index + 1).bin"))
        }
    }
}
