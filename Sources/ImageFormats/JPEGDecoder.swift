internal import CTurboJPEG
public import ImageCore
import PNGCodec

/// Decodes JPEG bytes from untrusted sources to 8-bit RGB (or RGBA, alpha 255) through
/// libjpeg-turbo's TurboJPEG API.
///
/// Pixels are exactly what libjpeg-turbo's `djpeg` writes with its defaults: the accurate
/// integer IDCT (`JDCT_ISLOW`) and fancy (smooth) chroma upsampling; the tests compare the
/// two byte for byte. Grayscale JPEGs decode to RGB with three equal channels. CMYK and YCCK
/// JPEGs are refused (``ImageFormatError/unsupported(_:)``): converting inks to RGB needs a
/// colour profile, and nothing that re-encodes a shared coupon writes CMYK.
///
/// The header is read first and its size checked against `limits` before pixel memory is
/// allocated, with the same rule as `PNGDecoder`. Decoding is strict: libjpeg's warnings
/// (a file cut short, whose missing rows libjpeg would paint gray; extraneous bytes; a bad
/// Huffman code) stop it and throw, and progressive files may have at most 500 scans
/// (`TJFLAG_LIMITSCANS`, against scan-bomb inputs). Bytes after the EOI marker are ignored,
/// as by every JPEG reader.
///
/// ```swift
/// let image = try JPEGDecoder().decode(bytes, as: .rgb8)
/// ```
public struct JPEGDecoder: ImageFormatDecoder {
    /// Pictures over these limits are refused from their header.
    public var limits: DecodeLimits

    public init(limits: DecodeLimits = .default) { self.limits = limits }

    /// Reads only the markers up to the first scan.
    public func header(of data: UnsafeRawBufferPointer) throws(ImageFormatError) -> JPEGHeader {
        try TurboJPEG.withHandle(tjInitDecompress) { (handle) throws(ImageFormatError) in try Self.readHeader(data, handle) }
    }

    /// Decodes bytes that the caller keeps alive for the duration of the call.
    public func decode(_ data: UnsafeRawBufferPointer, as format: PixelFormat = .rgba8) throws(ImageFormatError)
        -> PixelBuffer
    {
        try TurboJPEG.withHandle(tjInitDecompress) { (handle) throws(ImageFormatError) -> PixelBuffer in
            let header = try Self.readHeader(data, handle)
            if header.colorSpace == .cmyk || header.colorSpace == .yCCK {
                throw .unsupported("\(header.colorSpace.rawValue) JPEG: only YCbCr, RGB and grayscale JPEGs are decoded")
            }
            try limits.check(width: header.width, height: header.height)
            let pixelFormat = format == .rgba8 ? TJPF_RGBA : TJPF_RGB
            return try makePixels(width: header.width, height: header.height, format: format) { pixels in
                let status = tjDecompress2(
                    handle, data.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt(data.count), pixels.baseAddress,
                    Int32(header.width), Int32(header.width * format.channels), Int32(header.height),
                    Int32(pixelFormat.rawValue), TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS)
                return status == 0 ? nil : TurboJPEG.error(handle, readingHeader: false)
            }
        }
    }

    static func readHeader(_ data: UnsafeRawBufferPointer, _ handle: tjhandle) throws(ImageFormatError) -> JPEGHeader {
        try ImageFormat.jpeg.checkSignature(of: data, cutShort: "file ends inside the signature")
        var width: Int32 = 0
        var height: Int32 = 0
        var subsampling: Int32 = -1
        var colorSpace: Int32 = -1
        let status = tjDecompressHeader3(
            handle, data.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt(data.count), &width, &height,
            &subsampling, &colorSpace)
        guard status == 0 else { throw TurboJPEG.error(handle, readingHeader: true) }
        // TurboJPEG answers a datastream without a frame header as "tables only": success,
        // no size. A real tables-only stream ends with EOI; anything else was cut short.
        guard width > 0, height > 0 else {
            if data.count >= 2, data[data.count - 2] == 0xFF, data[data.count - 1] == 0xD9 {
                throw .invalidHeader("no image: a tables-only datastream (no frame header)")
            }
            throw .truncated("the data ends before the frame header")
        }
        guard let space = JPEGHeader.ColorSpace(turboJPEG: colorSpace) else {
            throw .unsupported("unknown JPEG colour space \(colorSpace)")
        }
        guard let sampling = JPEGSubsampling(turboJPEG: subsampling) else {
            throw .unsupported("unknown chroma subsampling \(subsampling)")
        }
        return JPEGHeader(width: Int(width), height: Int(height), colorSpace: space, subsampling: sampling)
    }
}
