import ImageCore

/// The embedder's kernels: the gains, each row's deltas spread to its bytes, and their
/// addition to the row.
enum FieldKernel {
    /// `1 + min(sqrt(max(activity, 0)) / 8, 1.5)` for each sample, in place: how much more
    /// than flat paper a pixel takes.
    static func gains(_ activity: inout [Float], mode: KernelMode) {
        let count = activity.count
        activity.withUnsafeMutableBufferPointer { a in
            var x = 0
            if mode == .simd {
                let cap = SIMD8<Float>(repeating: 1.5)
                let one = SIMD8<Float>(repeating: 1), eighth = SIMD8<Float>(repeating: 0.125)
                let raw = UnsafeMutableRawPointer(a.baseAddress!)
                while x &+ 8 <= count {
                    let act = raw.loadUnaligned(fromByteOffset: x &* 4, as: SIMD8<Float>.self)
                    // max(act, 0) by the sign bits, not a select: after a select, the square
                    // roots stayed libm `sqrtf` calls behind a branch per lane.
                    let positive = act.positiveParts
                    var root = SIMD8<Float>()
                    for lane in 0..<8 { root[lane] = positive[lane].squareRoot() }
                    root *= eighth
                    let gain = one + root.replacing(with: cap, where: root .> cap)
                    raw.storeBytes(of: gain, toByteOffset: x &* 4, as: SIMD8<Float>.self)
                    x &+= 8
                }
            }
            while x < count {
                a[x] = 1 + min(max(a[x], 0).squareRoot() * 0.125, 1.5)
                x &+= 1
            }
        }
    }

    /// Row `y`'s deltas spread to its bytes: for each pixel, `round(amplitude * field *
    /// gain)` (ties to even) on red, green and blue, 0 on alpha, where the field is
    /// `weights.0 * first[x] + weights.1 * second[x]` (two of ``SmoothField``'s blended cell
    /// rows) and the gain is `halfGains[x / 2]`. `spread` takes `width * channels` values.
    ///
    /// The SIMD form takes 8 pixels at a time. It rounds by adding 1.5 x 2^23, after which
    /// the low 16 bits of the float's bit pattern are the rounded delta as an `Int16`
    /// (exact while deltas stay under 2^15 levels), and spreads those bits to the bytes by
    /// lane picks on 32-bit lanes and one narrowing per 8 bytes.
    static func spread(
        field first: UnsafePointer<Float>, _ second: UnsafePointer<Float>, weights: (Float, Float),
        halfGains: UnsafePointer<Float>, amplitude: Float, width: Int, channels: Int,
        into spread: UnsafeMutablePointer<Int16>, mode: KernelMode
    ) {
        precondition(channels == 3 || channels == 4)
        var x = 0
        if mode == .simd {
            let w0 = SIMD8<Float>(repeating: weights.0), w1 = SIMD8<Float>(repeating: weights.1)
            let scale = SIMD8<Float>(repeating: amplitude), bias = SIMD8<Float>(repeating: 12_582_912)
            let a = UnsafeRawPointer(first), b = UnsafeRawPointer(second), h = UnsafeRawPointer(halfGains)
            let to = UnsafeMutableRawPointer(spread)
            while x &+ 8 <= width {
                let field = w0 * a.loadUnaligned(fromByteOffset: x &* 4, as: SIMD8<Float>.self)
                    + w1 * b.loadUnaligned(fromByteOffset: x &* 4, as: SIMD8<Float>.self)
                let half = h.loadUnaligned(fromByteOffset: x &* 2, as: SIMD4<Float>.self)
                let gain = SIMD8(half[0], half[0], half[1], half[1], half[2], half[2], half[3], half[3])
                let d = unsafeBitCast(scale * field * gain + bias, to: SIMD8<Int32>.self)
                let at = x &* channels &* 2
                if channels == 3 {
                    to.storeBytes(of: narrowed(d[0], d[0], d[0], d[1], d[1], d[1], d[2], d[2]), toByteOffset: at,
                                  as: SIMD8<Int16>.self)
                    to.storeBytes(of: narrowed(d[2], d[3], d[3], d[3], d[4], d[4], d[4], d[5]),
                                  toByteOffset: at &+ 16, as: SIMD8<Int16>.self)
                    to.storeBytes(of: narrowed(d[5], d[5], d[6], d[6], d[6], d[7], d[7], d[7]),
                                  toByteOffset: at &+ 32, as: SIMD8<Int16>.self)
                } else {
                    to.storeBytes(of: narrowed(d[0], d[0], d[0], 0, d[1], d[1], d[1], 0), toByteOffset: at,
                                  as: SIMD8<Int16>.self)
                    to.storeBytes(of: narrowed(d[2], d[2], d[2], 0, d[3], d[3], d[3], 0),
                                  toByteOffset: at &+ 16, as: SIMD8<Int16>.self)
                    to.storeBytes(of: narrowed(d[4], d[4], d[4], 0, d[5], d[5], d[5], 0),
                                  toByteOffset: at &+ 32, as: SIMD8<Int16>.self)
                    to.storeBytes(of: narrowed(d[6], d[6], d[6], 0, d[7], d[7], d[7], 0),
                                  toByteOffset: at &+ 48, as: SIMD8<Int16>.self)
                }
                x &+= 8
            }
        }
        while x < width {
            let field = weights.0 * first[x] + weights.1 * second[x]
            let delta = Int16((amplitude * field * halfGains[x / 2]).rounded(.toNearestOrEven))
            for c in 0..<channels { spread[x &* channels &+ c] = c < 3 ? delta : 0 }
            x &+= 1
        }
    }

    /// The low 16 bits of 8 lanes (one narrowing).
    @inline(__always)
    private static func narrowed(
        _ a: Int32, _ b: Int32, _ c: Int32, _ d: Int32, _ e: Int32, _ f: Int32, _ g: Int32, _ h: Int32
    ) -> SIMD8<Int16> {
        let wide = SIMD8<Int32>(a, b, c, d, e, f, g, h)
        var out = SIMD8<Int16>()
        for lane in 0..<8 { out[lane] = Int16(truncatingIfNeeded: wide[lane]) }
        return out
    }

    /// `out[i] = source[i] + spread[i]` for the `count` bytes of a row, saturating at 0 and
    /// 255 (`spread` holds one delta per byte, as
    /// ``spread(field:_:weights:halfGains:amplitude:width:channels:into:mode:)`` writes them).
    /// The marked picture is written as the source is read: no copy of it first.
    static func add(
        _ spread: UnsafePointer<Int16>, to source: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<UInt8>,
        count: Int, mode: KernelMode
    ) {
        var i = 0
        if mode == .simd {
            let high = SIMD16<Int16>(repeating: 255)
            let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(out), deltas = UnsafeRawPointer(spread)
            while i &+ 16 <= count {
                let bytes = from.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                var sum = deltas.loadUnaligned(fromByteOffset: i &* 2, as: SIMD16<Int16>.self)
                for lane in 0..<16 { sum[lane] &+= Int16(bytes[lane]) }
                // Clamped without selects: negative sums are masked to 0 by their own sign
                // bits, and sums past 255 get all ones, whose low byte is 255.
                sum &= ~(sum &>> 15)
                sum |= unsafeBitCast(sum .> high, to: SIMD16<Int16>.self)
                var result = SIMD16<UInt8>()
                for lane in 0..<16 { result[lane] = UInt8(truncatingIfNeeded: sum[lane]) }
                to.storeBytes(of: result, toByteOffset: i, as: SIMD16<UInt8>.self)
                i &+= 16
            }
        }
        while i < count {
            out[i] = UInt8(min(max(Int16(source[i]) + spread[i], 0), 255))
            i &+= 1
        }
    }
}
