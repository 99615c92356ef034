internal import CPNGShim
public import ImageCore

/// Row filters the encoder may use. `.adaptive` picks per row among all five, by the
/// smallest sum of absolute residuals (libpng's heuristic).
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
/// Two back ends write equivalent files: `.libdeflate` (the default) filters rows in
/// the C shim and compresses with libdeflate into one IDAT chunk; `.libpng` is libpng's
/// own writer over zlib, kept as the reference the tests compare against. libdeflate is
/// the default because Debian's zlib 1.2.13 is 25-35 % slower at level 6 than the
/// zlib-ng that ships inside common tools (see Benchmarks/README.md).
///
/// ```swift
/// let bytes = try PNGEncoder(level: 9, filter: .paeth).encode(image)
/// ```
public struct PNGEncoder: Sendable {
    public enum Backend: String, Sendable, CaseIterable {
        case libdeflate, libpng
    }

    /// Compression level, 0 (stored) to 9 (smallest), zlib's scale.
    public var level: Int
    public var filter: PNGFilter
    public var backend: Backend

    /// The defaults match common tools (level 6, adaptive filtering).
    public init(level: Int = 6, filter: PNGFilter = .adaptive, backend: Backend = .libdeflate) {
        self.level = level
        self.filter = filter
        self.backend = backend
    }

    public func encode(_ image: PixelBuffer) throws(PNGError) -> [UInt8] {
        guard (0...9).contains(level) else { throw .encodeFailed("compression level \(level) is not in 0...9") }
        guard image.width > 0, image.height > 0, image.width <= Int(Int32.max), image.height <= Int(Int32.max)
        else { throw .encodeFailed("cannot encode a \(image.width)x\(image.height) image") }

        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        let (status, message) = image.bytes.withUnsafeBufferPointer { pixels in
            withErrorBuffer { buffer, errorLength in
                let (width, height, stride) = (UInt32(image.width), UInt32(image.height), image.rowBytes)
                let channels = Int32(image.format.channels)
                switch backend {
                case .libdeflate:
                    return pngshim_encode_fast(
                        pixels.baseAddress!, width, height, stride, channels, Int32(level), filter.mask, &output, &length)
                case .libpng:
                    return pngshim_encode(
                        pixels.baseAddress!, width, height, stride, channels, Int32(level), filter.mask, &output, &length,
                        buffer, errorLength)
                }
            }
        }
        guard status == Int32(PNGSHIM_OK.rawValue), let output else {
            throw .encodeFailed(message.isEmpty ? "status \(status)" : message)
        }
        defer { pngshim_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: length))
    }
}
