import ImageCore
import ImageFormats
import PNGCodec

/// `webp-decode`: WebP bytes as a shared (re-encoded) coupon arrives, through
/// `WebPDecoder.header(of:)`, `decode(_:as:)` to RGBA and to RGB (opaque files only), and
/// `ImageDecoder` (the format sniffing).
///
/// Like the PNG harness's CRC repair, every input is decoded a second time with its RIFF
/// size set to the real length (``withRepairedRIFFSize(_:)``): a mutation that inserts or
/// removes bytes otherwise stops at libwebp's first check, RIFF size against data size.
public enum WebPDecodeTarget {
    /// The PNG harness's limit: 4 megapixels.
    public static let limits = PNGDecodeTarget.limits

    /// True when the bytes, as they are, decode to RGBA.
    @discardableResult
    public static func run(_ bytes: UnsafeRawBufferPointer) -> Bool {
        DecodeHarness.run(bytes, repair: withRepairedRIFFSize) { data in
            let accepted = DecodeHarness.exercise(WebPDecoder(limits: limits), data)
            _ = try? ImageDecoder(limits: limits).decode(data, as: .rgb8)
            return accepted
        }
    }

    /// `data` with the RIFF size (little-endian, bytes 4..<8) set to the length after it,
    /// when the data starts with `RIFF` and is at least 12 bytes long.
    public static func withRepairedRIFFSize(_ data: [UInt8]) -> [UInt8] {
        guard data.count >= 12, data.starts(with: Array("RIFF".utf8)) else { return data }
        let size = UInt32(truncatingIfNeeded: data.count - 8)
        var out = data
        for index in 0..<4 { out[4 + index] = UInt8(truncatingIfNeeded: size >> (8 * UInt32(index))) }
        return out
    }
}
