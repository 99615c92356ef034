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
            if channels == 4 {
                while x &+ 4 <= count {
                    let at = x &* 16
                    let a = raw.loadUnaligned(fromByteOffset: at, as: SIMD4<Float>.self)
                    let b = raw.loadUnaligned(fromByteOffset: at &+ 16, as: SIMD4<Float>.self)
                    let c = raw.loadUnaligned(fromByteOffset: at &+ 32, as: SIMD4<Float>.self)
                    let d = raw.loadUnaligned(fromByteOffset: at &+ 48, as: SIMD4<Float>.self)
                    let luma = wr * SIMD4(a[0], b[0], c[0], d[0]) + wg * SIMD4(a[1], b[1], c[1], d[1])
                        + wb * SIMD4(a[2], b[2], c[2], d[2])
                    to.storeBytes(of: luma, toByteOffset: x &* 4, as: SIMD4<Float>.self)
                    x &+= 4
                }
            } else {
                while x &+ 4 <= count {
                    let at = x &* 12
                    let a = raw.loadUnaligned(fromByteOffset: at, as: SIMD4<Float>.self)
                    let b = raw.loadUnaligned(fromByteOffset: at &+ 16, as: SIMD4<Float>.self)
                    let c = raw.loadUnaligned(fromByteOffset: at &+ 32, as: SIMD4<Float>.self)
                    let luma = wr * SIMD4(a[0], a[3], b[2], c[1]) + wg * SIMD4(a[1], b[0], b[3], c[2])
                        + wb * SIMD4(a[2], b[1], c[0], c[3])
                    to.storeBytes(of: luma, toByteOffset: x &* 4, as: SIMD4<Float>.self)
                    x &+= 4
                }
            }
        }
        while x < count {
            let o = x &* channels
            out[x] = weights.r * samples[o] + weights.g * samples[o &+ 1] + weights.b * samples[o &+ 2]
            x &+= 1
        }
    }
}
