/// What the detector correlates: the luma's deviation from its 7x7 median (the median
/// follows edges and flat areas alike, so what is left is mostly the mark and noise),
/// passed through a redescending clip: deviations up to 4 levels are kept, larger ones
/// fade to 0 at 8, so text and edges, whose deviations are large, drop out instead of
/// drowning the mark.
///
/// The luma is rounded to whole levels first, so the median is exact and found with a
/// sliding 256-bin histogram (Huang's algorithm: a column of 7 values in, one out, per
/// pixel), and so that a vector kernel can reproduce it bit for bit.
enum Whitening {
    static let radius = 3
    static let keep: Float = 4

    static func whiten(_ luma: Plane) -> Plane {
        let width = luma.width, height = luma.height, r = radius
        let side = 2 * r + 1
        let rank = side * side / 2
        let levels = luma.samples.map { UInt8(min(max($0.rounded(), 0), 255)) }
        var out = Plane(width: width, height: height)
        var histogram = [Int32](repeating: 0, count: 256)
        levels.withUnsafeBufferPointer { level in
            out.samples.withUnsafeMutableBufferPointer { out in
                histogram.withUnsafeMutableBufferPointer { histogram in
                    for y in 0..<height {
                        let rows = (-r...r).map { min(max(y + $0, 0), height - 1) * width }
                        histogram.update(repeating: 0)
                        for dx in -r...r {
                            let x = min(max(dx, 0), width - 1)
                            for row in rows { histogram[Int(level[row + x])] += 1 }
                        }
                        var median = 0, below: Int32 = 0
                        for x in 0..<width {
                            if x > 0 {
                                let leaving = max(x - r - 1, 0), entering = min(x + r, width - 1)
                                for row in rows {
                                    let old = Int(level[row + leaving]), new = Int(level[row + entering])
                                    histogram[old] -= 1
                                    if old < median { below -= 1 }
                                    histogram[new] += 1
                                    if new < median { below += 1 }
                                }
                            }
                            while below > Int32(rank) {
                                median -= 1
                                below -= histogram[median]
                            }
                            while below + histogram[median] <= Int32(rank) {
                                below += histogram[median]
                                median += 1
                            }
                            out[y * width + x] = clip(Float(level[y * width + x]) - Float(median))
                        }
                    }
                }
            }
        }
        return out
    }

    @inline(__always)
    static func clip(_ d: Float) -> Float {
        let a = abs(d)
        if a <= keep { return d }
        return a >= 2 * keep ? 0 : (d < 0 ? -(2 * keep - a) : 2 * keep - a)
    }
}
