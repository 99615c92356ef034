import ImageCore

/// Adds the field to an image's colour: the same delta to R, G and B (a change of luma,
/// none of hue), ``RobustMark/defaultAmplitude`` levels at full field, up to 2.5 times
/// that where the picture is busy (local activity: the RMS of the luma's deviation from
/// its 3x3 mean over a 7x7 window, divided by 8) and no less on flat paper. Alpha is
/// left as it is.
enum RobustEmbedder {
    static func embed(_ image: PixelBuffer, signs: [Float], amplitude: Float) -> PixelBuffer {
        let luma = Plane(luma: image)
        let detail = luma.boxMean(3)
        var deviation = luma
        for i in deviation.samples.indices {
            let d = luma.samples[i] - detail.samples[i]
            deviation.samples[i] = d * d
        }
        let activity = deviation.boxMean(7)
        let field = SmoothField(width: image.width, height: image.height, signs: signs)
        var out = image
        let channels = image.format.channels
        var row = [Float](repeating: 0, count: image.width)
        out.bytes.withUnsafeMutableBufferPointer { p in
            for y in 0..<image.height {
                field.row(y, into: &row)
                for x in 0..<image.width {
                    let i = y * image.width + x
                    let gain = 1 + min(max(activity.samples[i], 0).squareRoot() / 8, 1.5)
                    let delta = amplitude * row[x] * gain
                    let o = i * channels
                    for c in 0..<3 {
                        let v = (Float(p[o + c]) + delta).rounded()
                        p[o + c] = UInt8(min(max(v, 0), 255))
                    }
                }
            }
        }
        return out
    }
}
