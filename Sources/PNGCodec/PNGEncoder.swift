internal import CPNGShim
public import ImageCore

/// Row filters the encoder may use. `.adaptive` lets libpng pick per row among all five.
public enum PNGFilter: String, Sendable, CaseIterable {
    case none, sub, up, average, paeth, adaptive

    var mask: Int32 {
        switch self {
        case .none: Int32(PNGSHIM_FILTER_NONE)
        case .sub: Int32(PNGSHIM_FILTER_SUB)
        case .up: Int32(PNGSHIM_FILTER_UP)
        case .average: Int32(PNGSHIM_FILTER_AVG)
        case .paeth: Int32(PNGSHIM_FILTER_PAETH)
        case .adaptive: Int32(PNGSHIM_FILTER_ALL)
        }
    }
}

/// Encodes 8-bit RGB or RGBA pixels as a PNG (no interlace, no ancillary chunks).
///
/// ```swift
/// let bytes = try PNGEncoder(level: 9, filter: .paeth).encode(image)
/// ```
public struct PNGEncoder: Sendable {
    /// zlib level, 0 (stored) to 9 (smallest).
    public var level: Int
    public var filter: PNGFilter

    /// The defaults match common tools (zlib level 6, adaptive filtering).
    public init(level: Int = 6, filter: PNGFilter = .adaptive) {
        self.level = level
        self.filter = filter
    }

    public func encode(_ image: PixelBuffer) throws(PNGError) -> [UInt8] {
        guard (0...9).contains(level) else { throw .encodeFailed("zlib level \(level) is not in 0...9") }
        guard image.width > 0, image.height > 0, image.width <= Int(UInt32.max), image.height <= Int(UInt32.max)
        else { throw .encodeFailed("cannot encode a \(image.width)x\(image.height) image") }

        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        let (status, message) = image.bytes.withUnsafeBufferPointer { pixels in
            withErrorBuffer { buffer, errorLength in
                pngshim_encode(
                    pixels.baseAddress!, UInt32(image.width), UInt32(image.height), image.rowBytes,
                    Int32(image.format.channels), Int32(level), filter.mask, &output, &length,
                    buffer, errorLength)
            }
        }
        guard status == Int32(PNGSHIM_OK.rawValue), let output else {
            throw .encodeFailed(message.isEmpty ? "status \(status)" : message)
        }
        defer { pngshim_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: length))
    }
}
