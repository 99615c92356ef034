public import PNGCodec

/// Why a JPEG or WebP file could not be decoded or encoded (PNG failures keep their own
/// `PNGError`, wrapped in ``png(_:)`` by ``ImageDecoder``). Every case names one kind of
/// failure callers can match; the associated text is the C library's own message, as
/// evidence.
public enum ImageFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input has no bytes at all.
    case empty
    /// The input does not start with the signature of the format being decoded (or, for
    /// ``ImageDecoder``, of any format it reads).
    case unrecognized
    /// The input ended before the image was complete.
    case truncated(String)
    /// The header is invalid: zero width or height, markers or chunks that make no sense.
    case invalidHeader(String)
    /// The header declares more pixels than the limit allows (checked before allocating).
    case tooLarge(width: Int, height: Int, limit: Int)
    /// A valid file of a kind the decoder refuses: CMYK or YCCK JPEG, animated WebP.
    case unsupported(String)
    /// RGB was asked for (or JPEG was to be written), but the image has transparent pixels.
    case hasTransparency
    /// Anything else the library refused: damaged entropy-coded data, a bad bitstream, ...
    case corrupt(String)
    /// The pixels could not be encoded (bad arguments or the library failed).
    case encodeFailed(String)
    /// A PNG file that `PNGDecoder` refused.
    case png(PNGError)

    public var description: String {
        switch self {
        case .empty: "empty file"
        case .unrecognized: "not an image in a format this decoder reads (unknown signature)"
        case .truncated(let message): "truncated image: \(message)"
        case .invalidHeader(let message): "invalid image header: \(message)"
        case .tooLarge(let width, let height, let limit):
            "image is \(width)x\(height) pixels, over the limit of \(limit) pixels"
        case .unsupported(let message): "unsupported image: \(message)"
        case .hasTransparency: "image has transparency, cannot be handled as RGB"
        case .corrupt(let message): "corrupt image: \(message)"
        case .encodeFailed(let message): "image encoding failed: \(message)"
        case .png(let error): error.description
        }
    }
}
