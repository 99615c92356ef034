/// Clears the least significant bit of every colour channel (alpha is kept whole): the
/// "upper bits" that the artwork digest and the tamper grid cover.
///
/// `src` and `dst` hold `count` bytes starting on a pixel boundary; they may not overlap.
enum MaskKernel {
    static func mask(
        _ src: UnsafePointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>, count: Int, channels: Int,
        mode: KernelMode
    ) {
        switch mode {
        case .simd: maskSIMD(src, into: dst, count: count, alphaMasked: channels == 4)
        case .reference: maskReference(src, into: dst, count: count, channels: channels)
        }
    }

    /// 16 bytes per step with the digest kernel's masks; the tail (under 16 bytes) scalar.
    @inline(__always)
    static func maskSIMD(_ src: UnsafePointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>, count: Int, alphaMasked: Bool) {
        let mask = alphaMasked ? DigestKernel.maskRGBA : DigestKernel.maskRGB
        let s = UnsafeRawPointer(src)
        let d = UnsafeMutableRawPointer(dst)
        var i = 0
        while i &+ 16 <= count {
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self) & mask, toByteOffset: i,
                         as: SIMD16<UInt8>.self)
            i &+= 16
        }
        // A pixel boundary every 16 bytes for RGBA, so the mask's lanes still line up.
        while i < count {
            dst[i] = src[i] & mask[i & 15]
            i &+= 1
        }
    }

    /// The plain definition, byte by byte.
    static func maskReference(_ src: UnsafePointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>, count: Int, channels: Int) {
        for i in 0..<count {
            let isAlpha = channels == 4 && i % 4 == 3
            dst[i] = isAlpha ? src[i] : src[i] & 0xFE
        }
    }
}
