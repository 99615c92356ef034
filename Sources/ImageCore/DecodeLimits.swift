/// Limits applied while decoding untrusted images, in every format (PNG, JPEG, WebP): a
/// header whose size is over them is refused before any pixel memory exists.
public struct DecodeLimits: Sendable, Equatable {
    /// Largest width x height accepted. Default 40 megapixels.
    public var maxPixels: Int

    public init(maxPixels: Int = 40_000_000) {
        self.maxPixels = maxPixels
    }

    public static let `default` = DecodeLimits()

    /// Whether a `width` x `height` picture (both positive) is within ``maxPixels``,
    /// without overflowing on absurd headers.
    public func admits(width: Int, height: Int) -> Bool {
        width <= maxPixels / max(height, 1)
    }

    /// ``PictureTooLarge`` for a picture over ``maxPixels``.
    public func check(width: Int, height: Int) throws(PictureTooLarge) {
        guard admits(width: width, height: height) else {
            throw PictureTooLarge(width: width, height: height, limit: maxPixels)
        }
    }
}

/// A picture over ``DecodeLimits/maxPixels``, whatever its format.
public struct PictureTooLarge: Error, Equatable, Sendable, CustomStringConvertible {
    public let width: Int
    public let height: Int
    /// ``DecodeLimits/maxPixels``.
    public let limit: Int

    public init(width: Int, height: Int, limit: Int) {
        (self.width, self.height, self.limit) = (width, height, limit)
    }

    public var description: String { "image is \(width)x\(height) pixels, over the limit of \(limit) pixels" }
}
