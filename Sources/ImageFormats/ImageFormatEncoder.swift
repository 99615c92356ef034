public import ImageCore

/// What ``JPEGEncoder`` and ``WebPEncoder`` share: a largest side the format holds, a
/// quality on the library's own scale, and encoding 8-bit RGB or RGBA pixels to bytes. The
/// argument checks live here once (`checkEncodable(_:quality:in:as:)`), so both refuse a bad
/// quality or size before the C library sees it, with the same wording.
public protocol ImageFormatEncoder: Sendable {
    /// The largest width or height the format (or its library) writes.
    static var maxSide: Int { get }

    /// Encodes `image`; throws ``ImageFormatError/encodeFailed(_:)`` for arguments the format
    /// cannot take or a library failure.
    func encode(_ image: PixelBuffer) throws(ImageFormatError) -> [UInt8]
}

extension ImageFormatEncoder {
    /// Refuses a `quality` outside `qualities` and a side outside `1...maxSide`, naming
    /// `format` in the message.
    func checkEncodable(_ image: PixelBuffer, quality: Int, in qualities: ClosedRange<Int>, as format: String)
        throws(ImageFormatError)
    {
        guard qualities.contains(quality) else { throw .encodeFailed("quality \(quality) is not in \(qualities)") }
        guard (1...Self.maxSide).contains(image.width), (1...Self.maxSide).contains(image.height) else {
            throw .encodeFailed(
                "cannot encode a \(image.width)x\(image.height) image as \(format) (sides 1...\(Self.maxSide))")
        }
    }
}
