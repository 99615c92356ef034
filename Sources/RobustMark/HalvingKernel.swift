import ImageCore

/// The common case of ``Plane/init(luma:resampledTo:_:mode:)``: an image halved exactly on
/// both axes, as an 800 x 400 coupon is to its 400 x 200 detection frame and to the
/// embedder's activity plane. Each target is the luma of its 2 x 2 block,
/// `(0.299 R + 0.587 G + 0.114 B) / 4` with R, G and B the block's exact integer sums, in
/// that order. The two source rows are added in 16-bit lanes, 16 bytes at a time, and stored
/// as floats; each target's channel sums are then picked out of 4-lane float loads (float
/// shuffles). Picking the 16-bit sums directly compiled to one insert per value on baseline
/// x86-64 and measured slower with SSSE3's byte shuffle too.
/// The general path computes the same average in another order: the two agree to float
/// rounding.
enum HalvingKernel {
    /// Target row `out` (`width / 2` values) from source rows `upper` and `lower` (`width`
    /// pixels of `channels` bytes each); `sums` is scratch for `width * channels` floats.
    static func row(
        _ upper: UnsafePointer<UInt8>, _ lower: UnsafePointer<UInt8>, width: Int, channels: Int,
        sums: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>, mode: KernelMode
    ) {
        precondition(channels == 3 || channels == 4)
        let count = width &* channels, targets = width / 2
        var i = 0, t = 0
        if mode == .simd {
            // The rows' sum in 16-bit lanes, 16 bytes at a time, stored as floats.
            let a = UnsafeRawPointer(upper), b = UnsafeRawPointer(lower), to = UnsafeMutableRawPointer(sums)
            while i &+ 16 <= count {
                let u = a.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                let l = b.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                var sum = SIMD16<UInt16>()
                for lane in 0..<16 { sum[lane] = UInt16(u[lane]) &+ UInt16(l[lane]) }
                var wide = SIMD16<Int32>()
                for lane in 0..<16 { wide[lane] = Int32(sum[lane]) }
                var value = SIMD16<Float>()
                for lane in 0..<16 { value[lane] = Float(wide[lane]) }
                to.storeBytes(of: value, toByteOffset: i &* 4, as: SIMD16<Float>.self)
                i &+= 16
            }
        }
        while i < count {
            sums[i] = Float(UInt16(upper[i]) &+ UInt16(lower[i]))
            i &+= 1
        }
        let wr = LumaKernel.weights.r, wg = LumaKernel.weights.g, wb = LumaKernel.weights.b
        if mode == .simd {
            let raw = UnsafeRawPointer(sums), to = UnsafeMutableRawPointer(out)
            let vr = SIMD4<Float>(repeating: wr), vg = SIMD4<Float>(repeating: wg)
            let vb = SIMD4<Float>(repeating: wb), quarter = SIMD4<Float>(repeating: 0.25)
            while t &+ 4 <= targets {
                // The format does not change along the row: the compiler hoists this test.
                let (r, g, b) = channels == 4 ? rgba(raw, at: t &* 32) : rgb(raw, at: t &* 24)
                to.storeBytes(of: (vr * r + vg * g + vb * b) * quarter, toByteOffset: t &* 4, as: SIMD4<Float>.self)
                t &+= 4
            }
        }
        while t < targets {
            let o = t &* 2 &* channels
            let r = sums[o] + sums[o &+ channels], g = sums[o &+ 1] + sums[o &+ channels &+ 1]
            let b = sums[o &+ 2] + sums[o &+ channels &+ 2]
            out[t] = (wr * r + wg * g + wb * b) * 0.25
            t &+= 1
        }
    }

    /// The channel sums of 4 targets (8 RGB pixels, 24 floats from six 4-lane loads).
    @inline(__always)
    private static func rgb(_ raw: UnsafeRawPointer, at offset: Int) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
        let load = { (k: Int) in raw.loadUnaligned(fromByteOffset: offset &+ k &* 16, as: SIMD4<Float>.self) }
        let (a, b, c, d, e, f) = (load(0), load(1), load(2), load(3), load(4), load(5))
        // Target j's first pixel starts at float 6j, its second at 6j + 3.
        let r = SIMD4(a[0], b[2], d[0], e[2]) + SIMD4(a[3], c[1], d[3], f[1])
        let g = SIMD4(a[1], b[3], d[1], e[3]) + SIMD4(b[0], c[2], e[0], f[2])
        let bl = SIMD4(a[2], c[0], d[2], f[0]) + SIMD4(b[1], c[3], e[1], f[3])
        return (r, g, bl)
    }

    /// The channel sums of 4 targets (8 RGBA pixels, 32 floats from eight 4-lane loads).
    @inline(__always)
    private static func rgba(_ raw: UnsafeRawPointer, at offset: Int) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
        let load = { (k: Int) in raw.loadUnaligned(fromByteOffset: offset &+ k &* 16, as: SIMD4<Float>.self) }
        let (p0, p1, p2, p3) = (load(0), load(1), load(2), load(3))
        let (p4, p5, p6, p7) = (load(4), load(5), load(6), load(7))
        // Pixel k is load k; target j is pixels 2j and 2j + 1.
        let r = SIMD4(p0[0], p2[0], p4[0], p6[0]) + SIMD4(p1[0], p3[0], p5[0], p7[0])
        let g = SIMD4(p0[1], p2[1], p4[1], p6[1]) + SIMD4(p1[1], p3[1], p5[1], p7[1])
        let b = SIMD4(p0[2], p2[2], p4[2], p6[2]) + SIMD4(p1[2], p3[2], p5[2], p7[2])
        return (r, g, b)
    }
}
