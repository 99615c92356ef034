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
    /// without the full-size luma plane: each target row is the weighted sum of the source
    /// rows its vertical taps name (each source row's luma computed once, the last two
    /// kept), then resampled along the row. Down the rows first, so the per-sample gathers
    /// of the horizontal taps run over the target rows only; `mode` picks the vector or
    /// the scalar form of the row sums, which agree bit for bit.
    init(luma image: PixelBuffer, resampledTo newWidth: Int, _ newHeight: Int, mode: KernelMode = .simd) {
        let width = image.width
        let vertical = Resampling(from: image.height, to: newHeight)
        let horizontal = FlatTaps(Resampling(from: width, to: newWidth))
        var samples = [Float](repeating: 0, count: newWidth * newHeight)
        var rows = LumaRows(image, mode: mode)
        var sum = [Float](repeating: 0, count: width)
        for (y, taps) in vertical.taps.enumerated() {
            for (k, tap) in taps.enumerated() {
                rows.row(tap.source).withUnsafeBufferPointer { source in
                    sum.withUnsafeMutableBufferPointer { sum in
                        RowSum.add(source, weight: tap.weight, into: sum, first: k == 0, mode: mode)
                    }
                }
            }
            samples.withUnsafeMutableBufferPointer { out in
                sum.withUnsafeBufferPointer { horizontal.apply($0, into: out.baseAddress! + y * newWidth) }
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
    }

    /// `out[t] = sum_k weight[t][k] * row[source[t][k]]`, in tap order.
    func apply(_ row: UnsafeBufferPointer<Float>, into out: UnsafeMutablePointer<Float>) {
        sources.withUnsafeBufferPointer { s in
            weights.withUnsafeBufferPointer { w in
                let targets = s.count / perTarget
                for t in 0..<targets {
                    let base = t &* perTarget
                    var value: Float = 0
                    for k in 0..<perTarget { value += w[base &+ k] * row[Int(s[base &+ k])] }
                    out[t] = value
                }
            }
        }
    }
}

/// Rows of an image's luma, computed on demand; the last two are kept, which is all that
/// consecutive targets of a resampling share.
struct LumaRows {
    let image: PixelBuffer
    let mode: KernelMode
    private var slots: [[Float]]
    private var indices = [-1, -1]
    private var newest = 0

    init(_ image: PixelBuffer, mode: KernelMode) {
        (self.image, self.mode) = (image, mode)
        slots = [[Float](repeating: 0, count: image.width), [Float](repeating: 0, count: image.width)]
    }

    mutating func row(_ y: Int) -> [Float] {
        if indices[newest] == y { return slots[newest] }
        if indices[1 - newest] == y { return slots[1 - newest] }
        newest = 1 - newest
        indices[newest] = y
        let rowBytes = image.rowBytes
        image.bytes.withUnsafeBufferPointer { p in
            slots[newest].withUnsafeMutableBufferPointer { out in
                LumaKernel.row(
                    p.baseAddress! + y * rowBytes, count: image.width, channels: image.format.channels, into: out.baseAddress!,
                    mode: mode)
            }
        }
        return slots[newest]
    }
}

/// The vertical pass of ``Plane/init(luma:resampledTo:_:mode:)``: `sum[x] = weight *
/// row[x]` for a target's first tap, `sum[x] += weight * row[x]` for the others.
enum RowSum {
    static func add(
        _ row: UnsafeBufferPointer<Float>, weight: Float, into sum: UnsafeMutableBufferPointer<Float>, first: Bool,
        mode: KernelMode
    ) {
        let count = row.count
        var x = 0
        if mode == .simd {
            let w = SIMD8<Float>(repeating: weight)
            let from = UnsafeRawPointer(row.baseAddress!), to = UnsafeMutableRawPointer(sum.baseAddress!)
            while x &+ 8 <= count {
                let product = w * from.loadUnaligned(fromByteOffset: x &* 4, as: SIMD8<Float>.self)
                let value = first ? product : to.loadUnaligned(fromByteOffset: x &* 4, as: SIMD8<Float>.self) + product
                to.storeBytes(of: value, toByteOffset: x &* 4, as: SIMD8<Float>.self)
                x &+= 8
            }
        }
        while x < count {
            sum[x] = first ? weight * row[x] : sum[x] + weight * row[x]
            x &+= 1
        }
    }
}
