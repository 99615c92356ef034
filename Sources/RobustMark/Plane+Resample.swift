import ImageCore

extension Plane {
    /// The luma of `image` resampled to `newWidth` x `newHeight` by ``Resampling``'s taps,
    /// without a full-size luma plane: each target row is first the weighted sum of the
    /// source rows its vertical taps name, taken on the interleaved colour samples (luma is
    /// linear, so it can come after the sum: one luma row per target row rather than per
    /// source row), then its luma, then that resampled along the row. `mode` picks the
    /// vector or the scalar form of the kernels, which agree bit for bit.
    /// An exact halving on both axes takes ``HalvingKernel`` instead.
    init(luma image: PixelBuffer, resampledTo newWidth: Int, _ newHeight: Int, mode: KernelMode = .simd) {
        if image.width == 2 * newWidth && image.height == 2 * newHeight {
            self.init(halving: image, mode: mode)
            return
        }
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

    /// The luma of `image` halved on both axes (``HalvingKernel``).
    private init(halving image: PixelBuffer, mode: KernelMode) {
        let newWidth = image.width / 2, newHeight = image.height / 2, rowBytes = image.rowBytes
        var sums = [Float](repeating: 0, count: rowBytes)
        let samples = [Float](writing: newWidth * newHeight) { out in
            image.bytes.withUnsafeBufferPointer { bytes in
                sums.withUnsafeMutableBufferPointer { sums in
                    for y in 0..<newHeight {
                        let upper = bytes.baseAddress! + 2 * y * rowBytes
                        HalvingKernel.row(
                            upper, upper + rowBytes, width: image.width, channels: image.format.channels,
                            sums: sums.baseAddress!, into: out.baseAddress! + y * newWidth, mode: mode)
                    }
                }
            }
        }
        self.init(width: newWidth, height: newHeight, samples: samples)
    }
}
