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
    /// time), so they agree bit for bit.
    func boxMean3(mode: KernelMode = .simd) -> Plane {
        var padded = [Float](repeating: 0, count: width + 2)
        let rows = [Float](writing: width * height) { out in
            samples.withUnsafeBufferPointer { s in
                padded.withUnsafeMutableBufferPointer { p in
                    for y in 0..<height {
                        let base = y &* width
                        p[0] = s[base]
                        (p.baseAddress! + 1).update(from: s.baseAddress! + base, count: width)
                        p[width &+ 1] = s[base &+ width &- 1]
                        var x = 0
                        if mode == .simd {
                            let raw = UnsafeRawPointer(p.baseAddress!)
                            let to = UnsafeMutableRawPointer(out.baseAddress! + base)
                            while x &+ 8 <= width {
                                let sum = raw.loadUnaligned(fromByteOffset: x &* 4, as: SIMD8<Float>.self)
                                    + raw.loadUnaligned(fromByteOffset: (x &+ 1) &* 4, as: SIMD8<Float>.self)
                                    + raw.loadUnaligned(fromByteOffset: (x &+ 2) &* 4, as: SIMD8<Float>.self)
                                to.storeBytes(of: sum, toByteOffset: x &* 4, as: SIMD8<Float>.self)
                                x &+= 8
                            }
                        }
                        while x < width {
                            out[base &+ x] = p[x] + p[x &+ 1] + p[x &+ 2]
                            x &+= 1
                        }
                    }
                }
            }
        }
        let ninth: Float = 1.0 / 9
        let means = [Float](writing: width * height) { o in
            rows.withUnsafeBufferPointer { r in
                for y in 0..<height {
                    let above = max(y &- 1, 0) &* width, centre = y &* width, below = min(y &+ 1, height &- 1) &* width
                    var x = 0
                    if mode == .simd {
                        let raw = UnsafeRawPointer(r.baseAddress!)
                        let to = UnsafeMutableRawPointer(o.baseAddress! + centre)
                        while x &+ 8 <= width {
                            let sum = raw.loadUnaligned(fromByteOffset: (above &+ x) &* 4, as: SIMD8<Float>.self)
                                + raw.loadUnaligned(fromByteOffset: (centre &+ x) &* 4, as: SIMD8<Float>.self)
                                + raw.loadUnaligned(fromByteOffset: (below &+ x) &* 4, as: SIMD8<Float>.self)
                            to.storeBytes(
                                of: sum * SIMD8(repeating: ninth), toByteOffset: x &* 4, as: SIMD8<Float>.self)
                            x &+= 8
                        }
                    }
                    while x < width {
                        o[centre &+ x] = (r[above &+ x] + r[centre &+ x] + r[below &+ x]) * ninth
                        x &+= 1
                    }
                }
            }
        }
        return Plane(width: width, height: height, samples: means)
    }
}
