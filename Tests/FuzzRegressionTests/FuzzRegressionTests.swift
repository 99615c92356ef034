import CouponKit
import Foundation
import FuzzTargets
import ImageCore
import ImageFormats
import PNGCodec
import Testing
import Watermark

/// Replays every file under `fixtures/fuzz/` through the same function its fuzzer calls:
/// the seeds must be accepted (so a harness cannot silently test nothing) and every other
/// file, above all each crasher the fuzzers found, must simply return.
@Suite struct FuzzRegressionTests {
    @Test(arguments: FuzzTarget.allCases)
    func everyCorpusFileReturns(_ target: FuzzTarget) throws {
        let files = try FuzzCorpus(target: target).files()
        #expect(!files.isEmpty)
        for file in files {
            let accepted = target.run(file.bytes)
            if file.name.hasPrefix("seed-") {
                #expect(accepted, "\(target.name)/\(file.name) is a seed but its target refuses it")
            }
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedsAreThere(_ target: FuzzTarget) throws {
        let minimum: [FuzzTarget: Int] = [
            .pngDecode: 30, .jpegDecode: 7, .webpDecode: 5, .watermarkExtract: 3, .sealedTokenOpen: 2, .termsFile: 3, .jsonBodies: 8,
        ]
        #expect(try FuzzCorpus(target: target).seeds().count >= minimum[target, default: 1])
    }

    /// The PNG seeds reach both decoders: Couponmark's own coupons are simple enough for the
    /// libdeflate fast path, the PngSuite files (palettes, 16 bits, interlace) need libpng.
    @Test func pngSeedsCoverBothDecoders() throws {
        let seeds = try FuzzCorpus(target: .pngDecode).seeds()
        let decoder = PNGDecoder(limits: PNGDecodeTarget.limits)
        let headers = try seeds.map { try decoder.header(of: $0.bytes) }
        #expect(headers.contains { $0.bitDepth == 8 && $0.colorType == .rgb && !$0.interlaced })
        #expect(headers.contains { $0.interlaced })
        #expect(headers.contains { $0.bitDepth == 16 })
        #expect(headers.contains { $0.colorType == .palette })
        // The harness's CRC repair leaves valid files alone and mends a bad CRC.
        for seed in seeds { #expect(PNGDecodeTarget.withRepairedCRCs(seed.bytes) == seed.bytes, "\(seed.name)") }
        let badCRC = try #require(FuzzCorpus(target: .pngDecode).files().first { $0.name == "bad-malformed-bad-crc-idat.png" })
        #expect((try? decoder.decode(badCRC.bytes)) == nil)
        #expect((try? decoder.decode(PNGDecodeTarget.withRepairedCRCs(badCRC.bytes))) != nil)
        let coupon = try #require(seeds.first { $0.name == "seed-coupon-watermark-v1.png" })
        let image = try decoder.decode(coupon.bytes, as: .rgb8).image
        #expect(image.width == 800 && image.height == 400)
    }

    /// The JPEG seeds cover every subsampling, progressive and grayscale; the WebP seeds lossy,
    /// lossless and alpha. The harness's RIFF-size repair leaves valid files alone and mends a
    /// file whose size field a mutation broke.
    @Test func codecSeedsCoverEveryKind() throws {
        let jpegDecoder = JPEGDecoder(limits: JPEGDecodeTarget.limits)
        let jpegHeaders = try FuzzCorpus(target: .jpegDecode).seeds().map { try jpegDecoder.header(of: $0.bytes) }
        #expect(Set(jpegHeaders.map(\.subsampling)) == [.yuv420, .yuv422, .yuv444, .yuv440, .gray])
        let webpSeeds = try FuzzCorpus(target: .webpDecode).seeds()
        let webpDecoder = WebPDecoder(limits: WebPDecodeTarget.limits)
        let webpHeaders = try webpSeeds.map { try webpDecoder.header(of: $0.bytes) }
        #expect(Set(webpHeaders.map(\.compression)) == [.lossy, .lossless])
        #expect(webpHeaders.contains { $0.hasAlpha })
        for seed in webpSeeds { #expect(WebPDecodeTarget.withRepairedRIFFSize(seed.bytes) == seed.bytes, "\(seed.name)") }
        var overstated = try #require(webpSeeds.first).bytes
        overstated[4] &+= 10
        #expect((try? webpDecoder.decode(overstated)) == nil)
        #expect((try? webpDecoder.decode(WebPDecodeTarget.withRepairedRIFFSize(overstated))) != nil)
    }

    /// The watermark seeds verify under the harness's fixed key, with both kernel modes.
    @Test func watermarkSeedsVerify() throws {
        let seeds = try FuzzCorpus(target: .watermarkExtract).seeds()
        var modes = Set<KernelMode>()
        for seed in seeds {
            let (image, mode) = try #require(seed.bytes.withUnsafeBytes { WatermarkExtractTarget.decode($0) })
            let verification = try MarkedImage(image, mode: mode).verify(key: WatermarkExtractTarget.key)
            #expect(verification.tamper.isIntact)
            #expect(verification.payload.payload == SeedWriter.watermarkPayload)
            modes.insert(mode)
        }
        #expect(modes == Set(KernelMode.allCases))
    }

    /// The sealed seeds open, under the fixed key ring, to the terms they were sealed from.
    @Test func sealedSeedsOpenToTheirTerms() throws {
        let seeds = try FuzzCorpus(target: .sealedTokenOpen).seeds()
        let expected = Set(SeedWriter.sealedTerms)
        var opened = 0
        for seed in seeds where seed.name.hasPrefix("seed-sealed-") {
            let terms = try SealedToken.open(seed.bytes, keys: SealedTokenOpenTarget.keyRing)
            #expect(expected.contains(terms))
            opened += 1
        }
        #expect(opened >= 2)
    }

    /// The terms seeds parse to the rows the terms-file tests expect.
    @Test func termsSeedsParse() throws {
        let text = String(decoding: try #require(FuzzCorpus(target: .termsFile).seeds().first { $0.name == "seed-csv-mixed.csv" }).bytes, as: UTF8.self)
        let rows = try TermsFile.parse(text)
        #expect(rows.count == 5)
        #expect(try rows[0].get().terms.discount == .rate(basisPoints: 1500))
    }

    /// Each request schema has a seed, and the order seed's `coupon_png` is a PNG.
    @Test func jsonSeedsCoverEverySchema() throws {
        let seeds = try FuzzCorpus(target: .jsonBodies).seeds()
        let schemas = Set(seeds.compactMap { $0.bytes.first.flatMap(JSONBodiesTarget.Schema.init(rawValue:)) })
        #expect(schemas == Set(JSONBodiesTarget.Schema.allCases))
        let withPNG = seeds.filter { String(decoding: $0.bytes, as: UTF8.self).contains("\"coupon_png\":\"iVBOR") }
        #expect(!withPNG.isEmpty)
    }
}
