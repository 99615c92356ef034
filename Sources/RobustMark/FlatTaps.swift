import ImageCore

/// One axis's taps laid flat: every target takes the same number of (source, weight)
/// pairs, the shorter lists padded with weight 0 on their last source, so the loop has no
/// ragged inner arrays.
struct FlatTaps {
    let perTarget: Int
    let sources: [Int32]
    let weights: [Float]
    /// Every target takes sources `2t` and `2t + 1` (a halving by area average).
    let halves: Bool

    init(_ resampling: Resampling) {
        perTarget = resampling.taps.map(\.count).max() ?? 1
        var sources: [Int32] = [], weights: [Float] = []
        for taps in resampling.taps {
            for k in 0..<perTarget {
                let tap = taps[min(k, taps.count - 1)]
                sources.append(Int32(tap.source))
                weights.append(k < taps.count ? tap.weight : 0)
            }
        }
        (self.sources, self.weights) = (sources, weights)
        halves = perTarget == 2 && (0..<sources.count).allSatisfy { Int(sources[$0]) == $0 }
    }

    /// `out[t] = sum_k weight[t][k] * row[source[t][k]]`, in tap order (two taps, the
    /// usual count when halving or growing, without the inner loop; a halving 4 targets at
    /// a time, the even and odd samples picked out of two vector loads, which is the same
    /// arithmetic per target).
    func apply(_ row: UnsafeBufferPointer<Float>, into out: UnsafeMutablePointer<Float>, mode: KernelMode = .simd) {
        sources.withUnsafeBufferPointer { s in
            weights.withUnsafeBufferPointer { w in
                let targets = s.count / perTarget
                if perTarget == 2 {
                    var t = 0
                    if halves && mode == .simd {
                        let from = UnsafeRawPointer(row.baseAddress!), weight = UnsafeRawPointer(w.baseAddress!)
                        let to = UnsafeMutableRawPointer(out)
                        while t &+ 4 <= targets {
                            let a = from.loadUnaligned(fromByteOffset: t &* 8, as: SIMD4<Float>.self)
                            let b = from.loadUnaligned(fromByteOffset: t &* 8 &+ 16, as: SIMD4<Float>.self)
                            let u = weight.loadUnaligned(fromByteOffset: t &* 8, as: SIMD4<Float>.self)
                            let v = weight.loadUnaligned(fromByteOffset: t &* 8 &+ 16, as: SIMD4<Float>.self)
                            let value = SIMD4(u[0], u[2], v[0], v[2]) * SIMD4(a[0], a[2], b[0], b[2])
                                + SIMD4(u[1], u[3], v[1], v[3]) * SIMD4(a[1], a[3], b[1], b[3])
                            to.storeBytes(of: value, toByteOffset: t &* 4, as: SIMD4<Float>.self)
                            t &+= 4
                        }
                    }
                    while t < targets {
                        let base = t &* 2
                        out[t] = w[base] * row[Int(s[base])] + w[base &+ 1] * row[Int(s[base &+ 1])]
                        t &+= 1
                    }
                    return
                }
                for t in 0..<targets {
                    let base = t &* perTarget
                    var value = w[base] * row[Int(s[base])]
                    for k in 1..<perTarget { value += w[base &+ k] * row[Int(s[base &+ k])] }
                    out[t] = value
                }
            }
        }
    }
}
