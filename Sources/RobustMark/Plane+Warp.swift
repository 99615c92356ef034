extension Plane {
    /// A `size.0` x `size.1` plane whose sample `(i, j)` is this plane at `m.0 * x + m.1 * y`,
    /// where `(x, y) = origin + (i + 0.5, j + 0.5)` (pixel centres on both sides),
    /// interpolated bilinearly; outside this plane the edge samples repeat.
    func warped(by m: (SIMD2<Double>, SIMD2<Double>), size: (Int, Int), origin: SIMD2<Double>) -> Plane {
        let (outWidth, outHeight) = size
        let maxX = Float(width - 1), maxY = Float(height - 1)
        let mx = SIMD2<Float>(m.0)
        let samples = [Float](writing: outWidth * outHeight) { out in
            self.samples.withUnsafeBufferPointer { s in
                for j in 0..<outHeight {
                    let y = origin.y + Double(j) + 0.5
                    // The row's start, in Double so that long rows keep sub-pixel accuracy.
                    let start = m.0 * (origin.x + 0.5) + m.1 * y - 0.5
                    let row = out.baseAddress! + j * outWidth
                    for i in 0..<outWidth {
                        let q = SIMD2<Float>(start) + mx * Float(i)
                        let qx = min(max(q.x, 0), maxX), qy = min(max(q.y, 0), maxY)
                        let x0 = Int(qx), y0 = Int(qy)
                        let x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
                        let fx = qx - Float(x0), fy = qy - Float(y0)
                        let top = s[y0 * width + x0] + (s[y0 * width + x1] - s[y0 * width + x0]) * fx
                        let bottom = s[y1 * width + x0] + (s[y1 * width + x1] - s[y1 * width + x0]) * fx
                        row[i] = top + (bottom - top) * fy
                    }
                }
            }
        }
        return Plane(width: outWidth, height: outHeight, samples: samples)
    }

    /// The plane flipped left to right.
    func mirrored() -> Plane {
        let samples = [Float](writing: self.samples.count) { out in
            self.samples.withUnsafeBufferPointer { s in
                for y in 0..<height {
                    for x in 0..<width { out[y * width + x] = s[y * width + width - 1 - x] }
                }
            }
        }
        return Plane(width: width, height: height, samples: samples)
    }
}
