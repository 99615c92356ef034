extension PixelBuffer {
    /// This image as RGBA; RGB pixels get alpha 255.
    public func toRGBA() -> PixelBuffer {
        guard format == .rgb8 else { return self }
        var out = PixelBuffer(width: width, height: height, format: .rgba8, fill: 255)
        copyColour(into: &out)
        return out
    }

    /// Whether any pixel is not fully opaque (always false for RGB).
    public var hasTransparency: Bool {
        guard format == .rgba8 else { return false }
        return bytes.withUnsafeBufferPointer { p in
            var all: UInt8 = 255
            var i = 3
            while i < p.count {
                all &= p[i]
                i &+= 4
            }
            return all != 255
        }
    }
}

extension PixelBuffer {
    /// This image as RGB, or nil when some pixel is not fully opaque.
    public func toRGB() -> PixelBuffer? {
        guard format == .rgba8 else { return self }
        guard !hasTransparency else { return nil }
        var out = PixelBuffer(width: width, height: height, format: .rgb8)
        copyColour(into: &out)
        return out
    }
}

extension PixelBuffer {
    /// Copies every pixel's red, green and blue into `out`, an image of the same size in
    /// the other format (its alpha, if any, stays as it is).
    fileprivate func copyColour(into out: inout PixelBuffer) {
        let (from, to) = (format.channels, out.format.channels)
        bytes.withUnsafeBufferPointer { src in
            out.bytes.withUnsafeMutableBufferPointer { dst in
                for i in 0..<pixelCount {
                    dst[i &* to] = src[i &* from]
                    dst[i &* to &+ 1] = src[i &* from &+ 1]
                    dst[i &* to &+ 2] = src[i &* from &+ 2]
                }
            }
        }
    }
}
