/// What a PNG file says about itself in its IHDR (and tRNS) chunk.
public struct PNGHeader: Sendable, Equatable {
    /// The PNG colour types.
    public enum ColorType: String, Sendable, Equatable, CaseIterable {
        case gray
        case grayAlpha = "gray_alpha"
        case rgb
        case rgba
        case palette

        init?(pngCode: Int32) {
            switch pngCode {
            case 0: self = .gray
            case 2: self = .rgb
            case 3: self = .palette
            case 4: self = .grayAlpha
            case 6: self = .rgba
            default: return nil
            }
        }

        /// Whether the samples include an alpha channel.
        public var hasAlphaChannel: Bool { self == .grayAlpha || self == .rgba }
    }

    public let width: Int
    public let height: Int
    /// Bits per sample (per palette index for palette images): 1, 2, 4, 8 or 16.
    public let bitDepth: Int
    public let colorType: ColorType
    /// Adam7 interlacing.
    public let interlaced: Bool
    /// A tRNS chunk gives some colour (or palette entry) transparency.
    public let hasTRNS: Bool

    /// Whether any pixel can be less than opaque: an alpha channel or a tRNS chunk.
    public var mayHaveTransparency: Bool { colorType.hasAlphaChannel || hasTRNS }

    public var pixelCount: Int { width * height }
}
