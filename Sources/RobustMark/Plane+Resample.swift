extension Plane {
    /// This plane resampled to `newWidth` x `newHeight`, each axis on its own: an area
    /// average when it shrinks (every source sample weighted by how much of it falls in
    /// the target sample), linear interpolation between sample centres when it grows.
    func resampled(width newWidth: Int, height newHeight: Int) -> Plane {
        let horizontal = Self.weights(from: width, to: newWidth)
        let vertical = Self.weights(from: height, to: newHeight)
        var rows = Plane(width: newWidth, height: height)
        for y in 0..<height {
            for (x, taps) in horizontal.enumerated() {
                var sum: Float = 0
                for (source, weight) in taps { sum += samples[y * width + source] * weight }
                rows.samples[y * newWidth + x] = sum
            }
        }
        var out = Plane(width: newWidth, height: newHeight)
        for (y, taps) in vertical.enumerated() {
            for x in 0..<newWidth {
                var sum: Float = 0
                for (source, weight) in taps { sum += rows.samples[source * newWidth + x] * weight }
                out.samples[y * newWidth + x] = sum
            }
        }
        return out
    }

    /// For each target sample, the source samples it takes and their weights (summing to 1).
    static func weights(from count: Int, to newCount: Int) -> [[(Int, Float)]] {
        let ratio = Double(count) / Double(newCount)
        return (0..<newCount).map { target in
            if ratio >= 1 {
                let start = Double(target) * ratio, end = start + ratio
                var taps: [(Int, Float)] = []
                var source = Int(start.rounded(.down))
                while Double(source) < end && source < count {
                    let covered = min(end, Double(source + 1)) - max(start, Double(source))
                    if covered > 0 { taps.append((source, Float(covered / ratio))) }
                    source += 1
                }
                return taps
            }
            let centre = (Double(target) + 0.5) * ratio - 0.5
            let left = Int(centre.rounded(.down))
            let t = Float(centre - Double(left))
            let a = min(max(left, 0), count - 1), b = min(max(left + 1, 0), count - 1)
            return [(a, 1 - t), (b, t)]
        }
    }
}
