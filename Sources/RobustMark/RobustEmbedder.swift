import ImageCore

/// Adds the field to an image's colour: the same delta to R, G and B (a change of luma,
/// none of hue), ``RobustMark/defaultAmplitude`` levels at full field, up to 2.5 times
/// that where the picture is busy (local activity: the RMS of the luma's deviation from
/// its 3x3 mean over a 7x7 window, divided by 8) and no less on flat paper. Each pixel's
/// delta is rounded once (ties to even) and added to its colour bytes with saturation.
/// Alpha is left as it is.
enum RobustEmbedder {
    static func embed(_ image: PixelBuffer, signs: [Float], amplitude: Float, mode: KernelMode = .simd) -> PixelBuffer {
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
        var row = [Float](repeating: 0, count: image.width)
        var deltas = [Int16](repeating: 0, count: image.width)
        for y in 0..<image.height {
            field.row(y, into: &row)
            for x in 0..<image.width {
                let gain = 1 + min(max(activity.samples[y * image.width + x], 0).squareRoot() / 8, 1.5)
                deltas[x] = Int16((amplitude * row[x] * gain).rounded(.toNearestOrEven))
            }
            FieldKernel.add(deltas, toRow: y, of: &out, mode: mode)
        }
        return out
    }
}

/// Adds one delta per pixel to the colour bytes of one row, saturating at 0 and 255,
/// alpha untouched.
enum FieldKernel {
    static func add(_ deltas: [Int16], toRow y: Int, of image: inout PixelBuffer, mode: KernelMode) {
        let channels = image.format.channels, rowBytes = image.rowBytes, start = y * rowBytes
        switch mode {
        case .reference:
            for x in 0..<image.width {
                for c in 0..<3 {
                    let o = start + x * channels + c
                    image.bytes[o] = UInt8(min(max(Int16(image.bytes[o]) + deltas[x], 0), 255))
                }
            }
        case .simd:
            // The deltas spread to bytes (0 on alpha), then 16 bytes at a time.
            var spread = [Int16](repeating: 0, count: rowBytes + 16)
            for x in 0..<image.width {
                for c in 0..<3 { spread[x &* channels &+ c] = deltas[x] }
            }
            let low = SIMD16<Int16>(repeating: 0), high = SIMD16<Int16>(repeating: 255)
            image.bytes.withUnsafeMutableBufferPointer { p in
                spread.withUnsafeBufferPointer { d in
                    var i = 0
                    while i + 16 <= rowBytes {
                        let bytes = UnsafeRawPointer(p.baseAddress! + start + i).loadUnaligned(as: SIMD16<UInt8>.self)
                        let delta = UnsafeRawPointer(d.baseAddress! + i).loadUnaligned(as: SIMD16<Int16>.self)
                        let sum = (SIMD16<Int16>(truncatingIfNeeded: bytes) &+ delta).clamped(lowerBound: low, upperBound: high)
                        UnsafeMutableRawPointer(p.baseAddress! + start + i).storeBytes(
                            of: SIMD16<UInt8>(truncatingIfNeeded: sum), as: SIMD16<UInt8>.self)
                        i &+= 16
                    }
                    while i < rowBytes {
                        p[start + i] = UInt8(min(max(Int16(p[start + i]) + d[i], 0), 255))
                        i &+= 1
                    }
                }
            }
        }
    }
}
