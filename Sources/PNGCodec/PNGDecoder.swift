internal import CPNGShim
public import ImageCore

/// A decoded PNG: what the file said, and its pixels.
public struct DecodedPNG: Sendable, Equatable {
    public let header: PNGHeader
    public let image: PixelBuffer
}

/// Decodes PNG bytes from untrusted sources to 8-bit RGBA (or RGB).
///
/// Every valid PNG decodes exactly: samples below 8 bits are scaled by v*255/(2^d-1),
/// 16-bit samples by round(v*255/65535), palettes and tRNS are expanded, Adam7 is
/// de-interlaced, and colour chunks (gAMA, cHRM, sRGB, iCCP) are ignored. The size in
/// the header is checked against `limits` before pixel memory is allocated; damaged,
/// truncated or padded files throw a ``PNGError``, never crash. The coupons Couponmark
/// writes (one IDAT, filter none) are inflated by libdeflate without libpng, with libpng's
/// pixels and errors (`Sources/PNGCodec/PNGCodec.docc/PNGCodec.md`).
///
/// ```swift
/// let png = try PNGDecoder().decode(bytes)          // RGBA
/// let rgb = try PNGDecoder().decode(bytes, as: .rgb8).image
/// ```
public struct PNGDecoder: Sendable {
    public var limits: DecodeLimits
    /// Whether Couponmark's own simple PNGs are inflated without libpng (`decodeSimple`);
    /// the tests turn it off to compare with libpng alone.
    var usesFastPath = true

    public init(limits: DecodeLimits = .default) {
        self.limits = limits
    }

    /// Reads only the header (IHDR and the chunks before the first IDAT).
    public func header(of data: [UInt8]) throws(PNGError) -> PNGHeader {
        try withBytes(of: data) { (raw) throws(PNGError) -> PNGHeader in
            let reader = try Reader(raw)
            defer { reader.close() }
            return reader.header
        }
    }

    /// Decodes `data` to `format`. Asking for `.rgb8` throws ``PNGError/hasTransparency``
    /// when some pixel is not opaque.
    public func decode(_ data: [UInt8], as format: PixelFormat = .rgba8) throws(PNGError) -> DecodedPNG {
        try withBytes(of: data) { (raw) throws(PNGError) -> DecodedPNG in try decode(raw, as: format) }
    }

    /// Decodes bytes that the caller keeps alive for the duration of the call.
    public func decode(_ data: UnsafeRawBufferPointer, as format: PixelFormat = .rgba8) throws(PNGError) -> DecodedPNG {
        if usesFastPath, let simple = Self.decodeSimple(data, as: format, limits: limits) { return simple }
        let reader = try Reader(data)
        defer { reader.close() }
        let header = reader.header
        guard header.width > 0, header.height > 0 else {
            throw .invalidHeader("image has zero width or height")
        }
        guard limits.admits(width: header.width, height: header.height) else {
            throw .tooLarge(width: header.width, height: header.height, limit: limits.maxPixels)
        }
        // Files that may carry alpha decode as RGBA first, so RGB is only given when
        // every pixel really is opaque.
        let wantsRGBFromAlpha = format == .rgb8 && header.mayHaveTransparency
        let decodeFormat: PixelFormat = wantsRGBFromAlpha ? .rgba8 : format
        var image = PixelBuffer(width: header.width, height: header.height, format: decodeFormat)
        let result = image.bytes.withUnsafeMutableBytes { dst in
            Result { () throws(PNGError) in try reader.readPixels(into: dst, channels: decodeFormat.channels) }
        }
        if case .failure(.corrupt) = result, let chunk = ChunkCRCScan.firstBadChunk(in: data) {
            throw .badCRC("\(chunk): CRC error")
        }
        try result.get()
        if wantsRGBFromAlpha {
            guard let rgb = image.toRGB() else { throw .hasTransparency }
            image = rgb
        }
        return DecodedPNG(header: header, image: image)
    }
}

extension PNGDecoder {
    /// The decoder's fast path for the PNGs Couponmark writes itself: exactly IHDR, one IDAT
    /// and IEND, 8-bit RGB (or RGBA when RGBA is asked for), no interlace, filter none on every
    /// row. The C shim inflates them with libdeflate straight to the expected size, checking
    /// every chunk CRC and the zlib Adler-32, and copies the rows out; libpng is not involved.
    ///
    /// It never decides an error: for any other file, and whenever a check fails, `decode`
    /// returns nil and the caller decodes with libpng from the start, which names the error
    /// exactly as before. The size is checked against the limits before pixels are allocated.
    static func decodeSimple(_ data: UnsafeRawBufferPointer, as format: PixelFormat, limits: DecodeLimits) -> DecodedPNG? {
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

/// One pass of libpng over bytes in memory; owns the C reader.
private struct Reader {
    let handle: OpaquePointer
    let header: PNGHeader

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    init(_ data: UnsafeRawBufferPointer) throws(PNGError) {
        guard !data.isEmpty else { throw .empty }
        guard data.count >= Self.signature.count else {
            throw data.elementsEqual(Self.signature.prefix(data.count)) ? .truncated("file ends inside the signature") : .notPNG
        }
        guard data.prefix(Self.signature.count).elementsEqual(Self.signature) else { throw .notPNG }

        var handle: OpaquePointer?
        var raw = pngshim_header()
        let (status, message) = withErrorBuffer { buffer, length in
            pngshim_read_header(
                data.baseAddress!.assumingMemoryBound(to: UInt8.self), data.count, &handle, &raw, buffer, length)
        }
        guard status == Int32(PNGSHIM_OK.rawValue), let handle else {
            throw PNGError(status: status, message: message, trailing: 0)
        }
        guard let colorType = PNGHeader.ColorType(pngCode: raw.color_type) else {
            pngshim_reader_free(handle)
            throw .invalidHeader("unknown colour type \(raw.color_type)")
        }
        self.handle = handle
        self.header = PNGHeader(
            width: Int(raw.width), height: Int(raw.height), bitDepth: Int(raw.bit_depth),
            colorType: colorType, interlaced: raw.interlaced != 0, hasTRNS: raw.has_trns != 0)
    }

    func readPixels(into dst: UnsafeMutableRawBufferPointer, channels: Int) throws(PNGError) {
        var trailing = 0
        let (status, message) = withErrorBuffer { buffer, length in
            pngshim_read_pixels(
                handle, Int32(channels), dst.baseAddress!.assumingMemoryBound(to: UInt8.self),
                header.width * channels, &trailing, buffer, length)
        }
        guard status == Int32(PNGSHIM_OK.rawValue) else {
            throw PNGError(status: status, message: message, trailing: trailing)
        }
    }

    func close() { pngshim_reader_free(handle) }
}

/// `Array.withUnsafeBytes` with a typed error.
func withBytes<R>(of data: [UInt8], _ body: (UnsafeRawBufferPointer) throws(PNGError) -> R) throws(PNGError) -> R {
    let result = data.withUnsafeBytes { raw in Result { () throws(PNGError) in try body(raw) } }
    return try result.get()
}

/// Calls `body` with a C buffer for libpng's message; returns the status and the message.
func withErrorBuffer(_ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) -> (Int32, String) {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
        buffer.initialize(repeating: 0)
        let status = body(buffer.baseAddress!, buffer.count)
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return (status, String(decoding: bytes, as: UTF8.self))
    }
}

extension PNGError {
    init(status: Int32, message: String, trailing: Int) {
        switch UInt32(bitPattern: status) {
        case PNGSHIM_ERR_TRUNCATED.rawValue: self = .truncated(message)
        case PNGSHIM_ERR_MISSING_END.rawValue: self = .missingEnd
        case PNGSHIM_ERR_TRAILING.rawValue: self = .trailingData(bytes: trailing)
        case PNGSHIM_ERR_NOMEM.rawValue: self = .corrupt("out of memory")
        case PNGSHIM_ERR_ARGUMENT.rawValue: self = .corrupt("internal error: bad arguments to libpng shim")
        default: self = PNGError(libpngMessage: message)
        }
    }
}
