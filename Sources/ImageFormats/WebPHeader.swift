/// What a WebP file's headers say about itself (read by ``WebPDecoder/header(of:)``
/// without decoding any pixel).
public struct WebPHeader: Sendable, Equatable {
    /// How the pixels are coded.
    public enum Compression: String, Sendable, Equatable, CaseIterable {
        /// VP8 key frame (YUV 4:2:0), the usual WebP.
        case lossy
        /// VP8L.
        case lossless
        /// Not known from the headers alone (an animation may mix both).
        case mixed
    }

    public let width: Int
    public let height: Int
    /// The file declares an alpha channel (its pixels may still all be opaque).
    public let hasAlpha: Bool
    /// An animation (refused by the decoder).
    public let isAnimated: Bool
    public let compression: Compression

    public var pixelCount: Int { width * height }
}
