/// Bounds on untrusted input, checked against the header before any pixel memory is
/// allocated.
public struct DecodeLimits: Sendable, Equatable {
    /// Largest width x height accepted. Default 40 megapixels.
    public var maxPixels: Int

    public init(maxPixels: Int = 40_000_000) {
        self.maxPixels = maxPixels
    }

    public static let `default` = DecodeLimits()
}
