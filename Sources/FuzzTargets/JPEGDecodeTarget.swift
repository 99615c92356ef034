import ImageCore
import ImageFormats
import PNGCodec

/// `jpeg-decode`: JPEG bytes as a shared (re-encoded) coupon arrives, through
/// `JPEGDecoder.header(of:)`, `decode(_:as:)` to RGBA and to RGB, and `ImageDecoder` (the format
/// sniffing and, for JPEG, the decoder again). JPEG has no checksum, so mutations reach the
/// markers and the entropy-coded data as they are.
public enum JPEGDecodeTarget {
    /// The PNG harness's limit: 4 megapixels.
    public static let limits = PNGDecodeTarget.limits

    /// True when the bytes decode to RGBA (JPEG has no alpha: exactly when they decode to RGB).
    @discardableResult
    public static func run(_ bytes: UnsafeRawBufferPointer) -> Bool {
        DecodeHarness.run(bytes) { data in
            let accepted = DecodeHarness.exercise(JPEGDecoder(limits: limits), data)
            _ = try? ImageDecoder(limits: limits).decode(data, as: .rgb8)
            return accepted
        }
    }
}
