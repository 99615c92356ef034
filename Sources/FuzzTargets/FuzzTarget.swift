/// The libFuzzer targets: each case feeds untrusted bytes to the real code that reads them
/// from the outside world. A thrown, typed error is a correct answer; only a crash, a
/// sanitizer report, a hang or a huge allocation is a bug. `tools/fuzz NAME SECONDS` runs
/// one (`Sources/fuzz-NAME/`, built only with `COUPONMARK_FUZZ=1`), and
/// `Tests/FuzzRegressionTests` replays every file under `fixtures/fuzz/NAME/` through ``run(_:)``.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The image decoders (``DecodeHarness``): the bytes of an upload or of a shared copy.
    case pngDecode = "png-decode", jpegDecode = "jpeg-decode", webpDecode = "webp-decode"
    /// What reads a coupon once it is pixels: the watermark, the sealed token it carries, and
    /// the terms file and request bodies that make and order coupons.
    case watermarkExtract = "watermark-extract", sealedTokenOpen = "sealed-token-open"
    case termsFile = "terms-file", jsonBodies = "json-bodies"

    /// The name `tools/fuzz` and `fixtures/fuzz/` use.
    public var name: String { rawValue }

    /// Runs one input. Returns whether the code under test accepted it (decoded, verified,
    /// opened, parsed); the tests use that to check the seeds reach past the first check.
    @discardableResult
    public func run(_ bytes: UnsafeRawBufferPointer) -> Bool {
        switch self {
        case .pngDecode: PNGDecodeTarget.run(bytes)
        case .jpegDecode: JPEGDecodeTarget.run(bytes)
        case .webpDecode: WebPDecodeTarget.run(bytes)
        case .watermarkExtract: WatermarkExtractTarget.run(bytes)
        case .sealedTokenOpen: SealedTokenOpenTarget.run(bytes)
        case .termsFile: TermsFileTarget.run(bytes)
        case .jsonBodies: JSONBodiesTarget.run(bytes)
        }
    }

    @discardableResult
    public func run(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { run($0) }
    }
}
