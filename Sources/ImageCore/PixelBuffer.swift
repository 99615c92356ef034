/// An 8-bit RGB or RGBA image held in memory: rows top to bottom, tightly packed
/// (`rowBytes == width * format.channels`, no padding), so the whole image is one
/// contiguous run of bytes that kernels can stream over.
///
/// ```swift
/// var image = PixelBuffer(width: 800, height: 400, format: .rgb8)
/// image[x: 0, y: 0] = [255, 0, 0]
/// ```
public struct PixelBuffer: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let format: PixelFormat
    /// Row-major interleaved samples; `bytes.count == width * height * format.channels`.
    public var bytes: [UInt8]

    /// A buffer filled with `fill` (0 by default).
    public init(width: Int, height: Int, format: PixelFormat, fill: UInt8 = 0) {
        precondition(width >= 0 && height >= 0, "negative image size")
        self.width = width
        self.height = height
        self.format = format
        self.bytes = [UInt8](repeating: fill, count: width * height * format.channels)
    }

    /// Wraps existing bytes; returns nil when `bytes.count` does not match the size.
    public init?(width: Int, height: Int, format: PixelFormat, bytes: [UInt8]) {
        guard width >= 0, height >= 0, bytes.count == width * height * format.channels else { return nil }
        self.width = width
        self.height = height
        self.format = format
        self.bytes = bytes
    }

    /// Bytes in one row.
    @inlinable public var rowBytes: Int { width * format.channels }

    /// Number of pixels.
    @inlinable public var pixelCount: Int { width * height }

    /// Offset of the first byte of pixel (x, y).
    @inlinable public func offset(x: Int, y: Int) -> Int { (y * width + x) * format.channels }

    /// The channels of one pixel, for tests and drawing; kernels use `bytes` directly.
    public subscript(x x: Int, y y: Int) -> [UInt8] {
        get {
            let start = offset(x: x, y: y)
            return Array(bytes[start..<start + format.channels])
        }
        set {
            precondition(newValue.count == format.channels, "pixel has \(format.channels) channels")
            let start = offset(x: x, y: y)
            bytes.replaceSubrange(start..<start + format.channels, with: newValue)
        }
    }
}
