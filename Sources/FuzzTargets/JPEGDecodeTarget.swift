import ImageCore
import ImageFormats
import PNGCodec

/// `jpeg-decode`: JPEG bytes as a shared (re-encoded) coupon arrives, through
/// `JPEGDecoder.header(of:)`, `decode(_:as:)` to RGB, and `ImageDecoder` (the format sniffing
/// and, for JPEG, the decoder again) to RGBA. JPEG has no checksum, so mutations reach the
/// markers and the entropy-coded data as they are.
public enum JPEGDecodeTarget {
    /// The PNG harness's limit: 4 megapixels.
    public static let limits = PNGDecodeTarget.limits

    /// True when the bytes decode to RGB.
    @discardableResult
    public static func run(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let data = [UInt8](bytes)
        let decoder = JPEGDecoder(limits: limits)
        _ = try? decoder.header(of: data)
        let rgb = try? decoder.decode(data, as: .rgb8)
        _ = try? ImageDecoder(limits: limits).decode(data, as: .rgba8)
        return rgb != nil
    }
}
