import ImageCore
import PNGCodec

/// `png-decode`: the PNG bytes of an upload or an order's `coupon_png`, through
/// `PNGDecoder.header(of:)` and `decode(_:as:)` to RGBA and to RGB. Couponmark's own simple
/// PNGs take the libdeflate fast path; everything else goes through libpng.
///
/// Every input is decoded twice: as it is, and with every chunk CRC recomputed
/// (``withRepairedCRCs(_:)``), because a mutated chunk almost never keeps a valid CRC and the
/// decoders would otherwise refuse nearly every input before reading its contents.
public enum PNGDecodeTarget {
    /// 4 megapixels: large enough for every real coupon, small enough that the fuzzer's
    /// memory limit is never reached by an honest allocation.
    public static let limits = DecodeLimits(maxPixels: 4_000_000)

    /// True when the bytes, as they are, decode to RGBA.
    @discardableResult
    public static func run(_ bytes: UnsafeRawBufferPointer) -> Bool {
        DecodeHarness.run(bytes, repair: withRepairedCRCs) { data in
            let decoder = PNGDecoder(limits: limits)
            return DecodeHarness.exercise(header: { try decoder.header(of: data) }, decode: { try decoder.decode(data, as: $0) })
        }
    }

    /// `data` with the CRC of every whole chunk after the signature set to the right value
    /// (the walk stops at the first chunk that runs past the end).
    public static func withRepairedCRCs(_ data: [UInt8]) -> [UInt8] {
        var out = data
        var offset = 8
        while offset + 12 <= out.count {
            let length = Int(out[offset]) << 24 | Int(out[offset + 1]) << 16 | Int(out[offset + 2]) << 8
                | Int(out[offset + 3])
            guard length <= out.count - offset - 12 else { break }
            let crc = CRC32.checksum(out[(offset + 4)..<(offset + 8 + length)])
            let at = offset + 8 + length
            out[at] = UInt8(crc >> 24)
            out[at + 1] = UInt8(crc >> 16 & 0xFF)
            out[at + 2] = UInt8(crc >> 8 & 0xFF)
            out[at + 3] = UInt8(crc & 0xFF)
            offset = at + 4
        }
        return out
    }
}
