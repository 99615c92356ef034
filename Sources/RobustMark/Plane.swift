import ImageCore

/// A single-channel image of `Float` samples, row-major: luma, or a filtered copy of it.
struct Plane: Sendable {
    let width: Int
    let height: Int
    var samples: [Float]

    init(width: Int, height: Int, samples: [Float]) {
        precondition(samples.count == width * height)
        (self.width, self.height, self.samples) = (width, height, samples)
    }

    init(width: Int, height: Int, fill: Float = 0) {
        self.init(width: width, height: height, samples: [Float](repeating: fill, count: width * height))
    }

    subscript(x x: Int, y y: Int) -> Float {
        get { samples[y * width + x] }
        set { samples[y * width + x] = newValue }
    }

    /// The mean over the 3 x 3 box around each sample, the edge samples repeated beyond
    /// the edges: `(left + centre + right)` along each row, then `(above + centre + below)
    /// / 9` down each column, in that order in both forms (the SIMD form 8 samples at a
    /// time), so they agree bit for bit. The row sums are kept for three rows at a time
    /// (each computed once, just before the row below the one it serves), not for the
    /// whole plane.
    func boxMean3(mode: KernelMode = .simd) -> Plane {
        var padded = [Float](repeating: 0, count: width + 2)
        var ring = [Float](repeating: 0, count: 3 * width)
        let ninth: Float = 1.0 / 9
        let means = [Float](writing: width * height) { o in
            samples.withUnsafeBufferPointer { s in
                padded.withUnsafeMutableBufferPointer { p in
                    ring.withUnsafeMutableBufferPointer { ring in
                        let source = s.baseAddress!, scratch = p.baseAddress!, r = ring.baseAddress!
                        let rowSums = { (y: Int) in
                            Self.rowSums(
                                source + y &* width, count: width, padded: scratch, into: r + (y % 3) &* width,
                                mode: mode)
                        }
                        rowSums(0)
                        if height > 1 { rowSums(1) }
                        for y in 0..<height {
                            if y >= 1 && y &+ 1 < height { rowSums(y &+ 1) }
                            let above = (max(y &- 1, 0) % 3) &* width, centre = (y % 3) &* width
                            let below = (min(y &+ 1, height &- 1) % 3) &* width
                            let out = o.baseAddress! + y &* width
                            var x = 0
                            if mode == .simd {
                                let raw = UnsafeRawPointer(r), to = UnsafeMutableRawPointer(out)
                                while x &+ 8 <= width {
                                    let load = { (row: Int) in
                                        raw.loadUnaligned(fromByteOffset: (row &+ x) &* 4, as: SIMD8<Float>.self)
                                    }
                                    let sum = load(above) + load(centre) + load(below)
                                    to.storeBytes(
                                        of: sum * SIMD8(repeating: ninth), toByteOffset: x &* 4, as: SIMD8<Float>.self)
                                    x &+= 8
                                }
                            }
                            while x < width {
                                out[x] = (r[above &+ x] + r[centre &+ x] + r[below &+ x]) * ninth
                                x &+= 1
                            }
                        }
                    }
                }
            }
        }
        return Plane(width: width, height: height, samples: means)
    }

    /// `out[x] = row[x - 1] + row[x] + row[x + 1]` (edges repeated), through `padded`
    /// (`count + 2` floats of scratch).
    private static func rowSums(
        _ row: UnsafePointer<Float>, count: Int, padded p: UnsafeMutablePointer<Float>,
        into out: UnsafeMutablePointer<Float>, mode: KernelMode
    ) {
        p[0] = row[0]
        (p + 1).update(from: row, count: count)
        p[count &+ 1] = row[count &- 1]
        var x = 0
        if mode == .simd {
            let raw = UnsafeRawPointer(p), to = UnsafeMutableRawPointer(out)
            while x &+ 8 <= count {
                let sum = raw.loadUnaligned(fromByteOffset: x &* 4, as: SIMD8<Float>.self)
                    + raw.loadUnaligned(fromByteOffset: (x &+ 1) &* 4, as: SIMD8<Float>.self)
                    + raw.loadUnaligned(fromByteOffset: (x &+ 2) &* 4, as: SIMD8<Float>.self)
                to.storeBytes(of: sum, toByteOffset: x &* 4, as: SIMD8<Float>.self)
                x &+= 8
            }
        }
        while x < count {
            out[x] = p[x] + p[x &+ 1] + p[x &+ 2]
            x &+= 1
        }
    }
}
