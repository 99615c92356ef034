/// The in-memory layouts the project works with: 8 bits per channel, interleaved.
public enum PixelFormat: Sendable, Hashable, CaseIterable {
    /// Red, green, blue: 3 bytes per pixel.
    case rgb8
    /// Red, green, blue, alpha (straight, not premultiplied): 4 bytes per pixel.
    case rgba8

    /// Bytes per pixel.
    @inlinable public var channels: Int {
        switch self {
        case .rgb8: 3
        case .rgba8: 4
        }
    }

    /// Whether the last channel of each pixel is alpha.
    @inlinable public var hasAlpha: Bool { self == .rgba8 }
}
