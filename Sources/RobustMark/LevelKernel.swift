import ImageCore

/// The whitening's row kernels, each a SIMD form beside its scalar reference (the same
/// arithmetic per element, so the two agree bit for bit).
enum LevelKernel {
    /// `out[x] = UInt8(min(max(luma[x], 0) + 0.5, 255))`: the luma rounded to a whole
    /// level, halves up.
    static func levels(
        _ luma: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<UInt8>, mode: KernelMode
    ) {
        var x = 0
        if mode == .simd {
            let zero = SIMD8<Float>(repeating: 0), half = SIMD8<Float>(repeating: 0.5)
            let top = SIMD8<Float>(repeating: 255)
            let one = SIMD8<Float>(repeating: 1)
            let from = UnsafeRawPointer(luma)
            while x &+ 8 <= count {
                let v = from.loadUnaligned(fromByteOffset: x &* 4, as: SIMD8<Float>.self)
                let level = (v.replacing(with: zero, where: v .< zero) + half)
                    .replacing(with: top, where: v .> top - half)
                // The whole part of a level in 0.5...255: the nearest whole number, one less
                // where that went up.
                let nearest = level.nearestWholes
                let bits = nearest.replacing(with: nearest - one, where: nearest .> level).nearestIntegers
                for lane in 0..<8 { out[x &+ lane] = UInt8(truncatingIfNeeded: bits[lane]) }
                x &+= 8
            }
        }
        while x < count {
            out[x] = UInt8(min(max(luma[x], 0) + 0.5, 255))
            x &+= 1
        }
    }

    /// `out[x] = Whitening.clip(Float(levels[x]) - Float(medians[x]))`.
    static func clippedDeviations(
        _ levels: UnsafePointer<UInt8>, from medians: UnsafePointer<UInt8>, count: Int,
        into out: UnsafeMutablePointer<Float>, mode: KernelMode
    ) {
        var x = 0
        if mode == .simd {
            let keep = SIMD8<Float>(repeating: Whitening.keep), twice = SIMD8<Float>(repeating: 2 * Whitening.keep)
            let zero = SIMD8<Float>(repeating: 0)
            let l = UnsafeRawPointer(levels), m = UnsafeRawPointer(medians), to = UnsafeMutableRawPointer(out)
            while x &+ 8 <= count {
                let level = l.loadUnaligned(fromByteOffset: x, as: SIMD8<UInt8>.self)
                let median = m.loadUnaligned(fromByteOffset: x, as: SIMD8<UInt8>.self)
                var d = SIMD8<Float>()
                for lane in 0..<8 { d[lane] = Float(level[lane]) - Float(median[lane]) }
                let a = d.replacing(with: -d, where: d .< zero)
                let fade = (twice - a).replacing(with: zero, where: a .>= twice)
                var value = d.replacing(with: fade, where: a .> keep)
                value.replace(with: -fade, where: (a .> keep) .& (d .< zero))
                to.storeBytes(of: value, toByteOffset: x &* 4, as: SIMD8<Float>.self)
                x &+= 8
            }
        }
        while x < count {
            out[x] = Whitening.clip(Float(levels[x]) - Float(medians[x]))
            x &+= 1
        }
    }
}
