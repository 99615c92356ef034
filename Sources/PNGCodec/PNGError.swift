/// Why a PNG could not be decoded or encoded. Every case names one kind of failure that
/// callers can match; the associated text is libpng's own message, as evidence.
public enum PNGError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input has no bytes at all.
    case empty
    /// The input does not start with the PNG signature.
    case notPNG
    /// The input ended before the image data was complete.
    case truncated(String)
    /// The pixels were complete but the input ended before the IEND chunk.
    case missingEnd
    /// Bytes follow the IEND chunk.
    case trailingData(bytes: Int)
    /// A critical chunk's CRC does not match its contents.
    case badCRC(String)
    /// A row starts with a filter type other than 0-4.
    case badFilter(String)
    /// The IHDR is invalid: zero width or height, bad bit depth or colour type, ...
    case invalidHeader(String)
    /// The header declares more pixels than the limit allows (checked before allocating).
    case tooLarge(width: Int, height: Int, limit: Int)
    /// RGB output was asked for, but the image has transparent pixels.
    case hasTransparency
    /// Anything else libpng refused: a corrupt zlib stream, missing IDAT, a bad chunk, ...
    case corrupt(String)
    /// The pixels could not be encoded (bad arguments or out of memory).
    case encodeFailed(String)

    public var description: String {
        switch self {
        case .empty: "empty file"
        case .notPNG: "not a PNG file (bad signature)"
        case .truncated(let message): "truncated PNG: \(message)"
        case .missingEnd: "truncated PNG: the IEND chunk is missing"
        case .trailingData(let bytes): "\(bytes) bytes of unexpected data after the IEND chunk"
        case .badCRC(let message): "corrupt PNG, CRC mismatch: \(message)"
        case .badFilter(let message): "corrupt PNG, bad row filter: \(message)"
        case .invalidHeader(let message): "invalid PNG header: \(message)"
        case .tooLarge(let width, let height, let limit):
            "image is \(width)x\(height) pixels, over the limit of \(limit) pixels"
        case .hasTransparency: "image has transparency, cannot be decoded as RGB"
        case .corrupt(let message): "corrupt PNG: \(message)"
        case .encodeFailed(let message): "PNG encoding failed: \(message)"
        }
    }

    /// Sorts one of libpng's error messages into a case.
    init(libpngMessage message: String) {
        let lower = message.lowercased()
        if lower.contains("crc error") {
            self = .badCRC(message)
        } else if lower.contains("filter") && !lower.contains("filter method") {
            self = .badFilter(message)
        } else if lower.contains("exceeds user limit") || lower.contains("image size exceeds") {
            self = .invalidHeader(message)
        } else if lower.contains("ihdr") || lower.contains("is zero") || lower.contains("bit depth")
            || lower.contains("color type") || lower.contains("invalid image")
        {
            self = .invalidHeader(message)
        } else {
            self = .corrupt(message)
        }
    }
}
