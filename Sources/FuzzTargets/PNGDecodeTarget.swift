import ImageCore
import PNGCodec

/// `png-decode`: the PNG bytes of an upload or an order's `coupon_png`, through
/// `PNGDecoder.header(of:)` and `decode(_:as:)` to RGBA and to RGB. Couponmark's own simple
/// PNGs take the libdeflate fast path; everything else goes through libpng.
public enum PNGDecodeTarget {
    /// 4 megapixels: large enough for every real coupon, small enough that the fuzzer's
    /// memory limit is never reached by an honest allocation.
    public static let limits = DecodeLimits(maxPixels: 4_000_000)

    /// True when the bytes decode to RGBA.
    @discardableResult
    public static func run(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let data = [UInt8](bytes)
        let decoder = PNGDecoder(limits: limits)
        _ = try? decoder.header(of: data)
        let rgba = try? decoder.decode(data, as: .rgba8)
        _ = try? decoder.decode(data, as: .rgb8)
        return rgba != nil
    }
}
