import ImageCore

extension Plane {
    /// This plane resampled to `newWidth` x `newHeight` by ``Resampling`` (an area average
    /// when it shrinks, linear interpolation when it grows).
    func resampled(width newWidth: Int, height newHeight: Int) -> Plane {
        Plane(
            width: newWidth, height: newHeight,
            samples: Resampling.resample(
                samples, width: width, height: height, channels: 1, toWidth: newWidth, height: newHeight))
    }

    /// The luma of `image` resampled to `newWidth` x `newHeight` by ``Resampling``'s taps,
    /// without a full-size luma plane: each target row is first the weighted sum of the
    /// source rows its vertical taps name, taken on the interleaved colour samples (luma is
    /// linear, so it can come after the sum: one luma row per target row rather than per
    /// source row), then its luma, then that resampled along the row. `mode` picks the
    /// vector or the scalar form of the kernels, which agree bit for bit.
    init(luma image: PixelBuffer, resampledTo newWidth: Int, _ newHeight: Int, mode: KernelMode = .simd) {
        let rowBytes = image.rowBytes, channels = image.format.channels
        let vertical = Resampling(from: image.height, to: newHeight)
        let horizontal = FlatTaps(Resampling(from: image.width, to: newWidth))
        var samples = [Float](repeating: 0, count: newWidth * newHeight)
        var sum = [Float](repeating: 0, count: rowBytes)
        var luma = [Float](repeating: 0, count: image.width)
        image.bytes.withUnsafeBufferPointer { bytes in
            sum.withUnsafeMutableBufferPointer { sum in
                luma.withUnsafeMutableBufferPointer { luma in
                    samples.withUnsafeMutableBufferPointer { out in
                        for (y, taps) in vertical.taps.enumerated() {
                            for (k, tap) in taps.enumerated() {
                                RowSum.add(
                                    bytes.baseAddress! + tap.source * rowBytes, weight: tap.weight, into: sum,
                                    first: k == 0, mode: mode)
                            }
                            LumaKernel.row(
                                sum.baseAddress!, count: image.width, channels: channels, into: luma.baseAddress!,
                                mode: mode)
                            horizontal.apply(
                                UnsafeBufferPointer(luma), into: out.baseAddress! + y * newWidth, mode: mode)
                        }
                    }
                }
            }
        }
        self.init(width: newWidth, height: newHeight, samples: samples)
    }
}

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

/// The vertical pass of ``Plane/init(luma:resampledTo:_:mode:)``, on a row of colour
/// bytes: `sum[i] = weight * row[i]` for a target's first tap, `sum[i] += weight *
/// row[i]` for the others.
///
/// This module's kernels convert between vector types lane by lane, in a loop the compiler
/// turns into one vector conversion: the standard library's generic SIMD conversions
/// (`init(truncatingIfNeeded:)`, integer to floating point, `clamped`, `pointwiseMin`)
/// are not always inlined, and then cost a call per vector, or per lane (`objdump` of the
/// release binary shows none left in RobustMark).
enum RowSum {
    static func add(
        _ row: UnsafePointer<UInt8>, weight: Float, into sum: UnsafeMutableBufferPointer<Float>, first: Bool,
        mode: KernelMode
    ) {
        let count = sum.count
        var i = 0
        if mode == .simd {
            let w = SIMD8<Float>(repeating: weight)
            let from = UnsafeRawPointer(row), to = UnsafeMutableRawPointer(sum.baseAddress!)
            while i &+ 8 <= count {
                let bytes = from.loadUnaligned(fromByteOffset: i, as: SIMD8<UInt8>.self)
                var value = SIMD8<Float>()
                for lane in 0..<8 { value[lane] = Float(bytes[lane]) }  // see ``RowSum``
                let product = w * value
                let total = first ? product : to.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self) + product
                to.storeBytes(of: total, toByteOffset: i &* 4, as: SIMD8<Float>.self)
                i &+= 8
            }
        }
        while i < count {
            sum[i] = first ? weight * Float(row[i]) : sum[i] + weight * Float(row[i])
            i &+= 1
        }
    }
}
