import ImageCore

/// Rec. 601 luma of a run of RGB or RGBA pixels (alpha ignored):
/// `0.299 * R + 0.587 * G + 0.114 * B`, summed in that order. The SIMD form takes 16
/// pixels at a time: RGBA as 32-bit lanes whose bytes are masked out, RGB by picking each
/// channel's 16 bytes out of three 16-byte loads (the compiler turns the picks into byte
/// shuffles). Both forms do the same arithmetic per pixel, so they agree bit for bit.
enum LumaKernel {
    static let weights = (r: Float(0.299), g: Float(0.587), b: Float(0.114))

    static func row(
        _ bytes: UnsafePointer<UInt8>, count: Int, channels: Int, into out: UnsafeMutablePointer<Float>, mode: KernelMode
    ) {
        precondition(channels == 3 || channels == 4)
        var x = 0
        if mode == .simd {
            let raw = UnsafeRawPointer(bytes), to = UnsafeMutableRawPointer(out)
            if channels == 4 {
                let mask = SIMD8<UInt32>(repeating: 0xFF)
                while x &+ 8 <= count {
                    let v = raw.loadUnaligned(fromByteOffset: x &* 4, as: SIMD8<UInt32>.self)
                    let luma = combine(v & mask, (v &>> 8) & mask, (v &>> 16) & mask)
                    to.storeBytes(of: luma, toByteOffset: x &* 4, as: SIMD8<Float>.self)
                    x &+= 8
                }
            } else {
                while x &+ 16 <= count {
                    let a = raw.loadUnaligned(fromByteOffset: x &* 3, as: SIMD16<UInt8>.self)
                    let b = raw.loadUnaligned(fromByteOffset: x &* 3 &+ 16, as: SIMD16<UInt8>.self)
                    let c = raw.loadUnaligned(fromByteOffset: x &* 3 &+ 32, as: SIMD16<UInt8>.self)
                    let r = SIMD16<UInt8>(
                        a[0], a[3], a[6], a[9], a[12], a[15], b[2], b[5], b[8], b[11], b[14], c[1], c[4], c[7], c[10], c[13])
                    let g = SIMD16<UInt8>(
                        a[1], a[4], a[7], a[10], a[13], b[0], b[3], b[6], b[9], b[12], b[15], c[2], c[5], c[8], c[11], c[14])
                    let bl = SIMD16<UInt8>(
                        a[2], a[5], a[8], a[11], a[14], b[1], b[4], b[7], b[10], b[13], c[0], c[3], c[6], c[9], c[12], c[15])
                    let low = combine(
                        SIMD8<UInt32>(truncatingIfNeeded: r.lowHalf), SIMD8<UInt32>(truncatingIfNeeded: g.lowHalf),
                        SIMD8<UInt32>(truncatingIfNeeded: bl.lowHalf))
                    let high = combine(
                        SIMD8<UInt32>(truncatingIfNeeded: r.highHalf), SIMD8<UInt32>(truncatingIfNeeded: g.highHalf),
                        SIMD8<UInt32>(truncatingIfNeeded: bl.highHalf))
                    to.storeBytes(of: low, toByteOffset: x &* 4, as: SIMD8<Float>.self)
                    to.storeBytes(of: high, toByteOffset: x &* 4 &+ 32, as: SIMD8<Float>.self)
                    x &+= 16
                }
            }
        }
        while x < count {
            let o = x &* channels
            out[x] = weights.r * Float(bytes[o]) + weights.g * Float(bytes[o &+ 1]) + weights.b * Float(bytes[o &+ 2])
            x &+= 1
        }
    }

    @inline(__always)
    private static func combine(_ r: SIMD8<UInt32>, _ g: SIMD8<UInt32>, _ b: SIMD8<UInt32>) -> SIMD8<Float> {
        var (fr, fg, fb) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        // Lane by lane, so that the compiler emits one vector conversion each (the generic
        // SIMD conversion is a call per lane).
        for lane in 0..<8 { (fr[lane], fg[lane], fb[lane]) = (Float(r[lane]), Float(g[lane]), Float(b[lane])) }
        return SIMD8(repeating: weights.r) * fr + SIMD8(repeating: weights.g) * fg + SIMD8(repeating: weights.b) * fb
    }
}
