import ImageCore

/// The whitening's row kernels, each a SIMD form beside its scalar reference; the two agree
/// bit for bit.
enum LevelKernel {
    /// `out[x] = UInt8(min(max(luma[x], 0) + 0.5, 255))`: the luma rounded to a whole
    /// level, halves up.
    static func levels(
        _ luma: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<UInt8>, mode: KernelMode
    ) {
        var x = 0
        if mode == .simd {
            let half = SIMD8<Float>(repeating: 0.5), top = SIMD8<Float>(repeating: 255)
            let oneBits = unsafeBitCast(SIMD8<Float>(repeating: 1), to: SIMD8<Int32>.self)
            let from = UnsafeRawPointer(luma)
            while x &+ 8 <= count {
                let v = from.loadUnaligned(fromByteOffset: x &* 4, as: SIMD8<Float>.self)
                // max(v, 0) by the sign bits (no select), then + 0.5, then at most 255.
                let raised = v.positiveParts + half
                let level = raised.replacing(with: top, where: raised .> top)
                // The whole part of a level in 0.5...255: the nearest whole number, one less
                // where that went up (the compare's mask, as bits, keeps 1.0 or nothing).
                let nearest = level.nearestWholes
                let up = unsafeBitCast(nearest .> level, to: SIMD8<Int32>.self) & oneBits
                let whole = (nearest - unsafeBitCast(up, to: SIMD8<Float>.self)).nearestIntegers
                for lane in 0..<8 { out[x &+ lane] = UInt8(truncatingIfNeeded: whole[lane]) }
                x &+= 8
            }
        }
        while x < count {
            out[x] = UInt8(min(max(luma[x], 0) + 0.5, 255))
            x &+= 1
        }
    }

    /// `out[x] = Whitening.clip(Float(levels[x]) - Float(pairMedians[x / 2]))`: each
    /// median serves the pixel pair it was found for.
    ///
    /// The deviations are whole levels, and so are their clips (`d` up to 4 levels, the
    /// rest of 8 beyond that, 0 from 8 on: `sign(d) * max(0, min(|d|, 8 - |d|))`), so the
    /// SIMD form clips in 32-bit integer lanes with shifts, masks and adds, no selects, and
    /// converts once.
    static func clippedDeviations(
        _ levels: UnsafePointer<UInt8>, pairMedians medians: UnsafePointer<UInt8>, count: Int,
        into out: UnsafeMutablePointer<Float>, mode: KernelMode
    ) {
        var x = 0
        if mode == .simd {
            let fade = SIMD8<Int32>(repeating: Int32(2 * Whitening.keep))
            let l = UnsafeRawPointer(levels), m = UnsafeRawPointer(medians), to = UnsafeMutableRawPointer(out)
            while x &+ 8 <= count {
                let level = l.loadUnaligned(fromByteOffset: x, as: SIMD8<UInt8>.self)
                let pair = m.loadUnaligned(fromByteOffset: x / 2, as: SIMD4<UInt8>.self)
                var d = SIMD8<Int32>()
                for lane in 0..<8 { d[lane] = Int32(level[lane]) &- Int32(pair[lane / 2]) }
                let sign = d &>> 31
                let magnitude = (d ^ sign) &- sign
                let gap = (fade &- magnitude) &- magnitude  // min(a, 8 - a) = a + min(0, 8 - 2a)
                var kept = magnitude &+ (gap & (gap &>> 31))
                kept &= ~(kept &>> 31)
                let value = (kept ^ sign) &- sign
                var result = SIMD8<Float>()
                for lane in 0..<8 { result[lane] = Float(value[lane]) }  // one vector conversion
                to.storeBytes(of: result, toByteOffset: x &* 4, as: SIMD8<Float>.self)
                x &+= 8
            }
        }
        while x < count {
            out[x] = Whitening.clip(Float(levels[x]) - Float(medians[x / 2]))
            x &+= 1
        }
    }
}
