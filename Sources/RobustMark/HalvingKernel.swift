import ImageCore

/// The common case of ``Plane/init(luma:resampledTo:_:mode:)``: an image halved exactly on
/// both axes, as an 800 x 400 coupon is to its 400 x 200 detection frame and to the
/// embedder's activity plane. Each target is the luma of its 2 x 2 block,
/// `(0.299 R + 0.587 G + 0.114 B) / 4` with R, G and B the block's exact integer sums, in
/// that order. The two source rows are added in 16-bit lanes, 16 bytes at a time; the sums
/// become floats as they are read, and each target's channel sums are picked out of 4-lane
/// float vectors (float shuffles, which baseline x86-64 has; byte shuffles it has not).
/// The general path computes the same average in another order: the two agree to float
/// rounding.
enum HalvingKernel {
    /// Target row `out` (`width / 2` values) from source rows `upper` and `lower` (`width`
    /// pixels of `channels` bytes each); `sums` is scratch for `width * channels` values.
    static func row(
        _ upper: UnsafePointer<UInt8>, _ lower: UnsafePointer<UInt8>, width: Int, channels: Int,
        sums: UnsafeMutablePointer<UInt16>, into out: UnsafeMutablePointer<Float>, mode: KernelMode
    ) {
        precondition(channels == 3 || channels == 4)
        let count = width &* channels, targets = width / 2
        var i = 0, t = 0
        if mode == .simd {
            // The rows' sum in 16-bit lanes, 16 bytes at a time.
            let a = UnsafeRawPointer(upper), b = UnsafeRawPointer(lower), to = UnsafeMutableRawPointer(sums)
            while i &+ 16 <= count {
                let u = a.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                let l = b.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                var sum = SIMD16<UInt16>()
                for lane in 0..<16 { sum[lane] = UInt16(u[lane]) &+ UInt16(l[lane]) }
                to.storeBytes(of: sum, toByteOffset: i &* 2, as: SIMD16<UInt16>.self)
                i &+= 16
            }
        }
        while i < count {
            sums[i] = UInt16(upper[i]) &+ UInt16(lower[i])
            i &+= 1
        }
        let wr = LumaKernel.weights.r, wg = LumaKernel.weights.g, wb = LumaKernel.weights.b
        if mode == .simd {
            let raw = UnsafeRawPointer(sums), to = UnsafeMutableRawPointer(out)
            let vr = SIMD4<Float>(repeating: wr), vg = SIMD4<Float>(repeating: wg)
            let vb = SIMD4<Float>(repeating: wb), quarter = SIMD4<Float>(repeating: 0.25)
            while t &+ 4 <= targets {
                // The format does not change along the row: the compiler hoists this test.
                let (r, g, b) = channels == 4 ? rgba(raw, at: t &* 16) : rgb(raw, at: t &* 12)
                to.storeBytes(of: (vr * r + vg * g + vb * b) * quarter, toByteOffset: t &* 4, as: SIMD4<Float>.self)
                t &+= 4
            }
        }
        while t < targets {
            let o = t &* 2 &* channels
            let r = Float(sums[o]) + Float(sums[o &+ channels])
            let g = Float(sums[o &+ 1]) + Float(sums[o &+ channels &+ 1])
            let b = Float(sums[o &+ 2]) + Float(sums[o &+ channels &+ 2])
            out[t] = (wr * r + wg * g + wb * b) * 0.25
            t &+= 1
        }
    }

    /// 8 sums from 16-bit lanes as floats (one widening and one conversion per 4).
    @inline(__always)
    private static func floats(_ raw: UnsafeRawPointer, at offset: Int) -> (SIMD4<Float>, SIMD4<Float>) {
        let v = raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<UInt16>.self)
        var low = SIMD4<Int32>(), high = SIMD4<Int32>()
        for lane in 0..<4 { (low[lane], high[lane]) = (Int32(v[lane]), Int32(v[lane &+ 4])) }
        var l = SIMD4<Float>(), h = SIMD4<Float>()
        for lane in 0..<4 { (l[lane], h[lane]) = (Float(low[lane]), Float(high[lane])) }
        return (l, h)
    }

    /// The channel sums of 4 targets (8 RGB pixels, 24 sums from three 8-lane loads).
    @inline(__always)
    private static func rgb(_ raw: UnsafeRawPointer, at offset: Int) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
        let (a, b) = floats(raw, at: offset), (c, d) = floats(raw, at: offset &+ 16)
        let (e, f) = floats(raw, at: offset &+ 32)
        // Target j's first pixel starts at sum 6j, its second at 6j + 3.
        let r = SIMD4(a[0], b[2], d[0], e[2]) + SIMD4(a[3], c[1], d[3], f[1])
        let g = SIMD4(a[1], b[3], d[1], e[3]) + SIMD4(b[0], c[2], e[0], f[2])
        let bl = SIMD4(a[2], c[0], d[2], f[0]) + SIMD4(b[1], c[3], e[1], f[3])
        return (r, g, bl)
    }

    /// The channel sums of 4 targets (8 RGBA pixels, 32 sums from four 8-lane loads).
    @inline(__always)
    private static func rgba(_ raw: UnsafeRawPointer, at offset: Int) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
        let (p0, p1) = floats(raw, at: offset), (p2, p3) = floats(raw, at: offset &+ 16)
        let (p4, p5) = floats(raw, at: offset &+ 32), (p6, p7) = floats(raw, at: offset &+ 48)
        // Pixel k is vector k; target j is pixels 2j and 2j + 1.
        let r = SIMD4(p0[0], p2[0], p4[0], p6[0]) + SIMD4(p1[0], p3[0], p5[0], p7[0])
        let g = SIMD4(p0[1], p2[1], p4[1], p6[1]) + SIMD4(p1[1], p3[1], p5[1], p7[1])
        let b = SIMD4(p0[2], p2[2], p4[2], p6[2]) + SIMD4(p1[2], p3[2], p5[2], p7[2])
        return (r, g, b)
    }
}
