extension PixelBuffer {
    /// This image as RGBA; RGB pixels get alpha 255.
    public func toRGBA() -> PixelBuffer {
        guard format == .rgb8 else { return self }
        var out = PixelBuffer(width: width, height: height, format: .rgba8, fill: 255)
        bytes.withUnsafeBufferPointer { src in
            out.bytes.withUnsafeMutableBufferPointer { dst in
                for i in 0..<pixelCount {
                    dst[i &* 4] = src[i &* 3]
                    dst[i &* 4 &+ 1] = src[i &* 3 &+ 1]
                    dst[i &* 4 &+ 2] = src[i &* 3 &+ 2]
                }
            }
        }
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
        bytes.withUnsafeBufferPointer { src in
            out.bytes.withUnsafeMutableBufferPointer { dst in
                for i in 0..<pixelCount {
                    dst[i &* 3] = src[i &* 4]
                    dst[i &* 3 &+ 1] = src[i &* 4 &+ 1]
                    dst[i &* 3 &+ 2] = src[i &* 4 &+ 2]
                }
            }
        }
        return out
    }
}
