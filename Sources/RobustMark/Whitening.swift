import ImageCore

/// What the detector correlates: the luma's deviation from its 7x7 median (the median
/// follows edges and flat areas alike, so what is left is mostly the mark and noise),
/// passed through a redescending clip: deviations up to 4 levels are kept, larger ones
/// fade to 0 at 8, so text and edges, whose deviations are large, drop out instead of
/// drowning the mark.
///
/// The luma is rounded to whole levels first, so the median is exact: the SIMD kernel
/// finds it for 16 pixels at once by a bitwise binary search (from the top bit down, a
/// candidate is kept when at most 24 of the 49 neighbours lie below it: eight rounds of
/// 49 compares, no branches), the reference by sorting each window. Beyond the edges the
/// edge samples repeat.
enum Whitening {
    static let radius = 3
    static let keep: Float = 4
    static let rank = (2 * radius + 1) * (2 * radius + 1) / 2

    static func whiten(_ luma: Plane, mode: KernelMode = .simd) -> Plane {
        let width = luma.width, height = luma.height, r = radius
        // Levels with `r` repeated edge samples on every side, and 16 more on the right so
        // that a vector load never leaves the buffer.
        let stride = width + 2 * r + 16
        var padded = [UInt8](repeating: 0, count: stride * (height + 2 * r))
        for y in 0..<height + 2 * r {
            let source = min(max(y - r, 0), height - 1) * width
            for x in 0..<stride {
                let level = luma.samples[source + min(max(x - r, 0), width - 1)]
                padded[y * stride + x] = UInt8(min(max(level, 0) + 0.5, 255))  // rounded, halves up
            }
        }
        var medians = [UInt8](repeating: 0, count: width * height)
        switch mode {
        case .reference: referenceMedians(padded, stride: stride, width: width, height: height, into: &medians)
        case .simd: simdMedians(padded, stride: stride, width: width, height: height, into: &medians)
        }
        var out = Plane(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                out.samples[y * width + x] = clip(
                    Float(padded[(y + r) * stride + x + r]) - Float(medians[y * width + x]))
            }
        }
        return out
    }

    static func referenceMedians(_ padded: [UInt8], stride: Int, width: Int, height: Int, into medians: inout [UInt8]) {
        let side = 2 * radius + 1
        var window = [UInt8](repeating: 0, count: side * side)
        for y in 0..<height {
            for x in 0..<width {
                for dy in 0..<side { for dx in 0..<side { window[dy * side + dx] = padded[(y + dy) * stride + x + dx] } }
                window.sort()
                medians[y * width + x] = window[rank]
            }
        }
    }

    static func simdMedians(_ padded: [UInt8], stride: Int, width: Int, height: Int, into medians: inout [UInt8]) {
        let side = 2 * radius + 1
        let one = SIMD16<UInt8>(repeating: 1), zero = SIMD16<UInt8>(repeating: 0)
        let limit = SIMD16<UInt8>(repeating: UInt8(rank))
        padded.withUnsafeBytes { p in
            medians.withUnsafeMutableBufferPointer { out in
                for y in 0..<height {
                    var x = 0
                    while x < width {
                        var median = zero
                        var bit: UInt8 = 0x80
                        while bit != 0 {
                            let candidate = median | SIMD16(repeating: bit)
                            var below = zero
                            for dy in 0..<side {
                                let row = (y &+ dy) &* stride &+ x
                                for dx in 0..<side {
                                    let v = p.loadUnaligned(fromByteOffset: row &+ dx, as: SIMD16<UInt8>.self)
                                    below &+= zero.replacing(with: one, where: v .< candidate)
                                }
                            }
                            median.replace(with: candidate, where: below .<= limit)
                            bit >>= 1
                        }
                        for lane in 0..<min(16, width &- x) { out[y &* width &+ x &+ lane] = median[lane] }
                        x &+= 16
                    }
                }
            }
        }
    }

    @inline(__always)
    static func clip(_ d: Float) -> Float {
        let a = abs(d)
        if a <= keep { return d }
        return a >= 2 * keep ? 0 : (d < 0 ? -(2 * keep - a) : 2 * keep - a)
    }
}
