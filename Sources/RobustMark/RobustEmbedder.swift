import ImageCore

/// Adds the field to an image's colour: the same delta to R, G and B (a change of luma,
/// none of hue), ``RobustMark/defaultAmplitude`` levels at full field, up to 2.5 times
/// that where the picture is busy and no less on flat paper. Each pixel's delta is rounded
/// once (ties to even) and added to its colour bytes with saturation. Alpha is left as it
/// is.
///
/// How busy is measured at half resolution (each sample the mean of 2 x 2 pixels, which
/// the masking does not need finer): the RMS over a 3 x 3 window of the luma's deviation
/// from its 3 x 3 mean, divided by 8; pixels `2i` and `2i + 1` take sample `i`.
enum RobustEmbedder {
    static func embed(_ image: PixelBuffer, signs: [Float], amplitude: Float, mode: KernelMode = .simd) -> PixelBuffer {
        var gains = Self.activity(image, mode: mode)
        FieldKernel.gains(&gains.samples, mode: mode)
        let field = SmoothField(width: image.width, height: image.height, signs: signs)
        var spread = [Int16](repeating: 0, count: image.rowBytes)
        let rowBytes = image.rowBytes
        let marked = [UInt8](writing: image.bytes.count) { out in
            image.bytes.withUnsafeBufferPointer { source in
                field.blendedRows.withUnsafeBufferPointer { rows in
                    gains.samples.withUnsafeBufferPointer { halfGains in
                        spread.withUnsafeMutableBufferPointer { spread in
                            for y in 0..<image.height {
                                let blend = field.blend(ofRow: y)
                                FieldKernel.spread(
                                    field: rows.baseAddress! + blend.first, rows.baseAddress! + blend.second,
                                    weights: blend.weights, halfGains: halfGains.baseAddress! + (y / 2) * gains.width,
                                    amplitude: amplitude, width: image.width, channels: image.format.channels,
                                    into: spread.baseAddress!, mode: mode)
                                FieldKernel.add(
                                    spread.baseAddress!, to: source.baseAddress! + y * rowBytes,
                                    into: out.baseAddress! + y * rowBytes, count: rowBytes, mode: mode)
                            }
                        }
                    }
                }
            }
        }
        return PixelBuffer(width: image.width, height: image.height, format: image.format, bytes: marked)!
    }

    /// The squared local activity at half resolution (see ``RobustEmbedder``).
    static func activity(_ image: PixelBuffer, mode: KernelMode) -> Plane {
        let half = Plane(luma: image, resampledTo: (image.width + 1) / 2, (image.height + 1) / 2, mode: mode)
        let detail = half.boxMean3(mode: mode)
        let squares = [Float](writing: half.samples.count) { out in
            half.samples.withUnsafeBufferPointer { h in
                detail.samples.withUnsafeBufferPointer { m in
                    for i in out.indices {
                        let d = h[i] - m[i]
                        out[i] = d * d
                    }
                }
            }
        }
        return Plane(width: half.width, height: half.height, samples: squares).boxMean3(mode: mode)
    }
}
