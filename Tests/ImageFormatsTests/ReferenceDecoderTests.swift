import ImageCore
import ImageFormats
import Testing

/// Every fixture decodes to exactly the reference decoder's pixels: `djpeg -pnm` for JPEG
/// (accurate integer IDCT, fancy upsampling), `dwebp -ppm` / `-pam` for WebP.
@Suite struct ReferenceDecoderTests {
    @Test(arguments: CodecFixtures.cases(format: "jpeg"))
    func jpegMatchesDjpeg(_ fixture: CodecFixtures.Case) throws {
        let coded = try CodecFixtures.bytes(fixture.name)
        let reference = try NetPBM.read(CodecFixtures.bytes(fixture.reference))
        let rgb = try JPEGDecoder().decode(coded, as: .rgb8)
        #expect(rgb == reference)
        // RGBA is the same samples with alpha 255.
        #expect(try JPEGDecoder().decode(coded, as: .rgba8) == reference.toRGBA())
        let header = try JPEGDecoder().header(of: coded)
        #expect(header.width == 61 && header.height == 37)
        #expect((header.colorSpace == .gray) == fixture.reference.hasSuffix(".pgm"))
    }

    @Test(arguments: CodecFixtures.cases(format: "webp"))
    func webpMatchesDwebp(_ fixture: CodecFixtures.Case) throws {
        let coded = try CodecFixtures.bytes(fixture.name)
        let reference = try NetPBM.read(CodecFixtures.bytes(fixture.reference))
        let image = try WebPDecoder().decode(coded, as: reference.format)
        #expect(image == reference)
        let header = try WebPDecoder().header(of: coded)
        #expect(header.width == 61 && header.height == 37 && !header.isAnimated)
        #expect(header.hasAlpha == (reference.format == .rgba8))
        #expect(header.compression == (fixture.command.contains("-lossless") ? .lossless : .lossy))
    }

    @Test func losslessWebPIsTheSource() throws {
        let source = try CodecFixtures.source()
        #expect(try WebPDecoder().decode(CodecFixtures.bytes("photo-lossless.webp"), as: .rgb8) == source)
        let alphaSource = try NetPBM.read(CodecFixtures.bytes("source-alpha.pam"))
        #expect(try WebPDecoder().decode(CodecFixtures.bytes("alpha-lossless.webp")) == alphaSource)
    }

    @Test func fixturesCoverEveryKind() throws {
        let jpegs = CodecFixtures.cases(format: "jpeg")
        let subsamplings = try Set(jpegs.map { try JPEGDecoder().header(of: CodecFixtures.bytes($0.name)).subsampling })
        #expect(subsamplings == [.yuv420, .yuv444, .yuv422, .yuv440, .gray])
        #expect(jpegs.contains { $0.command.contains("-progressive") })
        #expect(jpegs.contains { $0.command.contains("-arithmetic") })
        #expect(CodecFixtures.cases(format: "webp").count >= 5)
    }
}
