#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension PixelBuffer {
    /// Peak signal-to-noise ratio to `other` (same size and format), over every byte, in
    /// decibels: infinity when the two are equal. How much a mark changed a picture, or a
    /// codec lost. (`log10` is the C library's; ImageCore needs no package.)
    public func psnr(to other: PixelBuffer) -> Double {
        precondition(width == other.width && height == other.height && format == other.format, "different images")
        var squares = 0.0
        for (x, y) in zip(bytes, other.bytes) {
            let d = Double(x) - Double(y)
            squares += d * d
        }
        guard squares > 0 else { return .infinity }
        return 10 * log10(255 * 255 / (squares / Double(bytes.count)))
    }
}
