internal import CPNGShim
import ImageCore

/// The decoder's fast path for the PNGs Couponmark writes itself: exactly IHDR, one IDAT
/// and IEND, 8-bit RGB (or RGBA when RGBA is asked for), no interlace, filter none on every
/// row. The C shim inflates them with libdeflate straight to the expected size, checking
/// every chunk CRC and the zlib Adler-32, and copies the rows out; libpng is not involved.
///
/// It never decides an error: for any other file, and whenever a check fails, `decode`
/// returns nil and the caller decodes with libpng from the start, which names the error
/// exactly as before. The size is checked against the limits before pixels are allocated.
enum SimplePNG {
    static func decode(_ data: UnsafeRawBufferPointer, as format: PixelFormat, limits: DecodeLimits) -> DecodedPNG? {
        guard let base = data.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let channels = Int32(format.channels)
        var rawWidth: UInt32 = 0
        var rawHeight: UInt32 = 0
        guard pngshim_simple_header(base, data.count, channels, &rawWidth, &rawHeight) == Int32(PNGSHIM_OK.rawValue)
        else { return nil }
        let width = Int(rawWidth)
        let height = Int(rawHeight)
        guard width <= limits.maxPixels / height else { return nil }
        // Every byte is written by the shim on success, so the buffer is not zeroed first.
        let count = width * height * format.channels
        var status = Int32(PNGSHIM_ERR_ARGUMENT.rawValue)
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            status = pngshim_simple_pixels(base, data.count, channels, buffer.baseAddress!, width * format.channels)
            initialized = status == Int32(PNGSHIM_OK.rawValue) ? count : 0
        }
        guard status == Int32(PNGSHIM_OK.rawValue),
            let image = PixelBuffer(width: width, height: height, format: format, bytes: bytes)
        else { return nil }
        let header = PNGHeader(
            width: width, height: height, bitDepth: 8, colorType: format == .rgba8 ? .rgba : .rgb, interlaced: false,
            hasTRNS: false)
        return DecodedPNG(header: header, image: image)
    }
}
