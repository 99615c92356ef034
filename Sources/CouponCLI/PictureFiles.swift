import ImageCore
import ImageFormats
import PNGCodec

/// The picture files of the image commands (`watermark …`, `png recode`): read as RGB, or
/// RGBA when they have transparency, and written as PNG with `--level`/`--filter`. A file
/// that cannot be read fails with `Files`' error (exit 1); one that does not decode with a
/// ``ContextualFailure`` around the decoder's own error (exit 3).
enum PictureFiles {
    /// Decodes a PNG (the fragile layer and the codec commands read nothing else).
    static func readPNG(_ path: String) throws -> PixelBuffer {
        try read(path) { (bytes) throws(PNGError) in try PNGDecoder().decode(bytes).image }
    }

    /// Decodes a PNG, JPEG or WebP file (the robust layer reads luma and writes colour, so a
    /// shared copy in any format will do).
    static func readAny(_ path: String) throws -> PixelBuffer {
        try read(path) { (bytes) throws(ImageFormatError) in try ImageDecoder().decode(bytes).image }
    }

    /// Encodes `image` as PNG with `encoding`'s settings and writes it to `path`.
    static func writePNG(_ image: PixelBuffer, to path: String, encoding: EncodingOptions) throws {
        try Files.write(try encoding.encoder.encode(image), to: path)
    }

    private static func read<Failure: Error & Sendable>(
        _ path: String, decode: ([UInt8]) throws(Failure) -> PixelBuffer
    ) throws -> PixelBuffer {
        let bytes = try Files.read(path)
        do throws(Failure) {
            let image = try decode(bytes)
            return image.toRGB() ?? image
        } catch {
            throw ContextualFailure(path, error, exitCode: ExitStatus.unreadable)
        }
    }
}
