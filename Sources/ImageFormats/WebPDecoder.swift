internal import CWebP
public import ImageCore
import PNGCodec

/// Decodes WebP bytes from untrusted sources to 8-bit RGBA (or RGB) through libwebp.
///
/// Pixels are exactly what libwebp's `dwebp` writes with its defaults (fancy chroma
/// upsampling for lossy files, alpha not premultiplied); the tests compare the two byte for
/// byte. Lossy, lossless and still images with alpha decode; animations are refused
/// (``ImageFormatError/unsupported(_:)``). Asking for `.rgb8` from a file that declares
/// alpha decodes RGBA first and throws ``ImageFormatError/hasTransparency`` when some pixel
/// is not opaque, as `PNGDecoder` does.
///
/// The headers are read first (`WebPGetFeatures`) and the size checked against `limits`
/// before pixel memory is allocated, with the same rule as `PNGDecoder` (WebP's own format
/// caps each side at 16,383). libwebp decodes into that buffer (`is_external_memory`) and
/// reports failures as a `VP8StatusCode`, so it needs no C shim. Bytes past the RIFF
/// container's declared size are ignored, as libwebp does.
///
/// ```swift
/// let image = try WebPDecoder().decode(bytes)
/// ```
public struct WebPDecoder: ImageFormatDecoder {
    /// Pictures over these limits are refused from their header.
    public var limits: DecodeLimits

    public init(limits: DecodeLimits = .default) { self.limits = limits }

    /// Decodes bytes that the caller keeps alive for the duration of the call.
    public func decode(_ data: UnsafeRawBufferPointer, as format: PixelFormat = .rgba8) throws(ImageFormatError)
        -> PixelBuffer
    {
        let header = try self.header(of: data)
        if header.isAnimated { throw .unsupported("animated WebP: only still images are decoded") }
        try limits.check(width: header.width, height: header.height)
        // Files that may carry alpha decode as RGBA first, so RGB is only given when every
        // pixel really is opaque.
        let wantsRGBFromAlpha = format == .rgb8 && header.hasAlpha
        let decodeFormat: PixelFormat = wantsRGBFromAlpha ? .rgba8 : format
        let image = try makePixels(width: header.width, height: header.height, format: decodeFormat) { pixels in
            var config = WebPDecoderConfig()
            guard WebPInitDecoderConfig(&config) != 0 else { return .corrupt("libwebp version mismatch") }
            config.output.colorspace = decodeFormat == .rgba8 ? MODE_RGBA : MODE_RGB
            config.output.is_external_memory = 1
            config.output.u.RGBA.rgba = pixels.baseAddress
            config.output.u.RGBA.stride = Int32(header.width * decodeFormat.channels)
            config.output.u.RGBA.size = pixels.count
            let status = WebPDecode(data.baseAddress!.assumingMemoryBound(to: UInt8.self), data.count, &config)
            WebPFreeDecBuffer(&config.output)
            return status == VP8_STATUS_OK ? nil : Self.error(status, readingHeader: false)
        }
        guard wantsRGBFromAlpha else { return image }
        guard let rgb = image.toRGB() else { throw .hasTransparency }
        return rgb
    }

    /// Reads only the RIFF, VP8X and bitstream headers.
    public func header(of data: UnsafeRawBufferPointer) throws(ImageFormatError) -> WebPHeader {
        try ImageFormat.webp.checkSignature(of: data, cutShort: "file ends inside the RIFF header")
        var features = WebPBitstreamFeatures()
        let status = WebPGetFeatures(data.baseAddress!.assumingMemoryBound(to: UInt8.self), data.count, &features)
        guard status == VP8_STATUS_OK else { throw Self.error(status, readingHeader: true) }
        let compression: WebPHeader.Compression =
            switch features.format {
            case 1: .lossy
            case 2: .lossless
            default: .mixed
            }
        return WebPHeader(
            width: Int(features.width), height: Int(features.height), hasAlpha: features.has_alpha != 0,
            isAnimated: features.has_animation != 0, compression: compression)
    }

    /// One case per libwebp status; the status name is the evidence (libwebp has no messages).
    static func error(_ status: VP8StatusCode, readingHeader: Bool) -> ImageFormatError {
        switch status {
        case VP8_STATUS_NOT_ENOUGH_DATA: .truncated("libwebp: not enough data")
        case VP8_STATUS_UNSUPPORTED_FEATURE: .unsupported("libwebp: unsupported feature")
        case VP8_STATUS_OUT_OF_MEMORY: .corrupt("libwebp: out of memory")
        case VP8_STATUS_BITSTREAM_ERROR:
            readingHeader ? .invalidHeader("libwebp: bitstream error") : .corrupt("libwebp: bitstream error")
        default:
            readingHeader
                ? .invalidHeader("libwebp: status \(status.rawValue)") : .corrupt("libwebp: status \(status.rawValue)")
        }
    }
}
