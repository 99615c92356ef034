import Foundation

/// The whitened detection image folded onto one tile: every pixel added to the tile
/// position it falls on when the frame is enlarged by `scale`, then each position averaged.
/// The mark repeats with the tile, so it adds up; the picture does not, so it averages out.
struct TileFold {
    static let side = RobustLayout.detectionTile
    /// side x side averages, row-major.
    var values: [Float]

    init(_ whitened: Plane, scale: Double) {
        let side = Self.side
        var sums = [Float](repeating: 0, count: side * side)
        var counts = [Float](repeating: 0, count: side * side)
        let columns = (0..<whitened.width).map { Int(((Double($0) + 0.5) / scale).rounded(.down)) % side }
        for y in 0..<whitened.height {
            let row = (Int(((Double(y) + 0.5) / scale).rounded(.down)) % side) * side
            for x in 0..<whitened.width {
                sums[row + columns[x]] += whitened.samples[y * whitened.width + x]
                counts[row + columns[x]] += 1
            }
        }
        values = zip(sums, counts).map { $1 > 0 ? $0 / $1 : 0 }
    }
}
