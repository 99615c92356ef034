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

    /// The mean over a `size` x `size` box around each sample (`size` odd), the image's
    /// edge samples repeated beyond it. Running sums both ways: along each row, then down
    /// the rows a whole row at a time (row-wise, so the inner loops are contiguous).
    func boxMean(_ size: Int) -> Plane {
        precondition(size % 2 == 1)
        let r = size / 2
        var rows = Plane(width: width, height: height)
        samples.withUnsafeBufferPointer { s in
            rows.samples.withUnsafeMutableBufferPointer { out in
                for y in 0..<height {
                    let base = y &* width
                    var sum: Float = 0
                    for k in -r...r { sum += s[base &+ min(max(k, 0), width &- 1)] }
                    for x in 0..<width {
                        out[base &+ x] = sum
                        sum += s[base &+ min(x &+ r &+ 1, width &- 1)] - s[base &+ max(x &- r, 0)]
                    }
                }
            }
        }
        var out = Plane(width: width, height: height)
        let scale = 1 / Float(size * size)
        var column = [Float](repeating: 0, count: width)
        rows.samples.withUnsafeBufferPointer { s in
            out.samples.withUnsafeMutableBufferPointer { o in
                column.withUnsafeMutableBufferPointer { acc in
                    for k in -r...r {
                        let row = min(max(k, 0), height &- 1) &* width
                        for x in 0..<width { acc[x] += s[row &+ x] }
                    }
                    for y in 0..<height {
                        let target = y &* width
                        for x in 0..<width { o[target &+ x] = acc[x] * scale }
                        let entering = min(y &+ r &+ 1, height &- 1) &* width, leaving = max(y &- r, 0) &* width
                        for x in 0..<width { acc[x] += s[entering &+ x] - s[leaving &+ x] }
                    }
                }
            }
        }
        return out
    }
}
