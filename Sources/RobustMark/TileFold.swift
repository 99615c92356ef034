import Foundation
import ImageCore

/// The whitened detection image folded onto one tile: every pixel added to the tile
/// position it falls on when the frame is enlarged by `scale`, then each position averaged.
/// The mark repeats with the tile, so it adds up; the picture does not, so it averages out.
struct TileFold {
    static let side = RobustLayout.detectionTile
    /// side x side averages, row-major.
    var values: [Float]

    /// At `scale` 1 (the whole frame, tried first) pixel `x` of a row falls on tile column
    /// `x mod side`, so the SIMD form adds whole runs of a row at once; it adds every
    /// position's pixels in the same order as the reference, so the two agree bit for bit.
    init(_ whitened: Plane, scale: Double, mode: KernelMode = .simd) {
        let side = Self.side
        var sums = [Float](repeating: 0, count: side * side)
        var counts = [Float](repeating: 0, count: side * side)
        if scale == 1 && mode == .simd {
            Self.foldWhole(whitened, sums: &sums, counts: &counts)
        } else {
            let columns = (0..<whitened.width).map { Int(((Double($0) + 0.5) / scale).rounded(.down)) % side }
            for y in 0..<whitened.height {
                let row = (Int(((Double(y) + 0.5) / scale).rounded(.down)) % side) * side
                for x in 0..<whitened.width {
                    sums[row + columns[x]] += whitened.samples[y * whitened.width + x]
                    counts[row + columns[x]] += 1
                }
            }
        }
        values = zip(sums, counts).map { $1 > 0 ? $0 / $1 : 0 }
    }

    private static func foldWhole(_ whitened: Plane, sums: inout [Float], counts: inout [Float]) {
        let side = Self.side, width = whitened.width
        precondition(side % 8 == 0)
        whitened.samples.withUnsafeBytes { w in
            sums.withUnsafeMutableBytes { s in
                for y in 0..<whitened.height {
                    let target = (y % side) &* side &* 4, source = y &* width &* 4
                    var x = 0
                    while x < width {
                        let run = min(side, width &- x)
                        var k = 0
                        while k &+ 8 <= run {
                            let sum = s.loadUnaligned(fromByteOffset: target &+ k &* 4, as: SIMD8<Float>.self)
                                + w.loadUnaligned(fromByteOffset: source &+ (x &+ k) &* 4, as: SIMD8<Float>.self)
                            s.storeBytes(of: sum, toByteOffset: target &+ k &* 4, as: SIMD8<Float>.self)
                            k &+= 8
                        }
                        while k < run {
                            let at = target &+ k &* 4
                            s.storeBytes(
                                of: s.load(fromByteOffset: at, as: Float.self)
                                    + w.load(fromByteOffset: source &+ (x &+ k) &* 4, as: Float.self),
                                toByteOffset: at, as: Float.self)
                            k &+= 1
                        }
                        x &+= side
                    }
                }
            }
        }
        // Each position's count: the rows that fall on its tile row times the columns that
        // fall on its tile column.
        let height = whitened.height
        for row in 0..<side {
            let rowsHere = Float((height - row + side - 1) / side)
            for column in 0..<side {
                counts[row * side + column] = rowsHere * Float((width - column + side - 1) / side)
            }
        }
    }
}
