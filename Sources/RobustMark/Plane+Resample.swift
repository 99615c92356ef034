import ImageCore

extension Plane {
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
