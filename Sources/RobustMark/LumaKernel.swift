import ImageCore

/// Rec. 601 luma of a run of interleaved RGB or RGBA samples (alpha ignored), as floats:
/// `0.299 * R + 0.587 * G + 0.114 * B`, summed in that order. The SIMD form takes 4 pixels
/// at a time, picking each channel's 4 samples out of three (RGB) or four (RGBA) 4-lane
/// loads (the compiler turns the picks into shuffles). Both forms do the same arithmetic per
/// pixel, so they agree bit for bit.
enum LumaKernel {
    static let weights = (r: Float(0.299), g: Float(0.587), b: Float(0.114))

    static func row(
        _ samples: UnsafePointer<Float>, count: Int, channels: Int, into out: UnsafeMutablePointer<Float>,
        mode: KernelMode
    ) {
        precondition(channels == 3 || channels == 4)
        var x = 0
        if mode == .simd {
            let raw = UnsafeRawPointer(samples), to = UnsafeMutableRawPointer(out)
            let wr = SIMD4<Float>(repeating: weights.r), wg = SIMD4<Float>(repeating: weights.g)
            let wb = SIMD4<Float>(repeating: weights.b)
            while x &+ 4 <= count {
                // The format does not change along the row: the compiler hoists this test.
                let (r, g, b) = channels == 4 ? rgba(raw, at: x &* 16) : rgb(raw, at: x &* 12)
                to.storeBytes(of: wr * r + wg * g + wb * b, toByteOffset: x &* 4, as: SIMD4<Float>.self)
                x &+= 4
            }
        }
        while x < count {
            let o = x &* channels
            out[x] = weights.r * samples[o] + weights.g * samples[o &+ 1] + weights.b * samples[o &+ 2]
            x &+= 1
        }
    }

    /// Red, green and blue of 4 RGBA pixels from four 4-lane loads.
    @inline(__always)
    private static func rgba(_ raw: UnsafeRawPointer, at offset: Int) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
        let load = { (k: Int) in raw.loadUnaligned(fromByteOffset: offset &+ k &* 16, as: SIMD4<Float>.self) }
        let (p, q, s, t) = (load(0), load(1), load(2), load(3))
        return (SIMD4(p[0], q[0], s[0], t[0]), SIMD4(p[1], q[1], s[1], t[1]), SIMD4(p[2], q[2], s[2], t[2]))
    }

    /// Red, green and blue of 4 RGB pixels from three 4-lane loads.
    @inline(__always)
    private static func rgb(_ raw: UnsafeRawPointer, at offset: Int) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
        let a = raw.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
        let b = raw.loadUnaligned(fromByteOffset: offset &+ 16, as: SIMD4<Float>.self)
        let c = raw.loadUnaligned(fromByteOffset: offset &+ 32, as: SIMD4<Float>.self)
        return (SIMD4(a[0], a[3], b[2], c[1]), SIMD4(a[1], b[0], b[3], c[2]), SIMD4(a[2], b[1], c[0], c[3]))
    }
}
