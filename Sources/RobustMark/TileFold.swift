import Foundation
import ImageCore

/// The whitened detection image folded onto one tile: every pixel added to the tile
/// position it falls on when the frame is enlarged by `scale`, then each position averaged.
/// The mark repeats with the tile, so it adds up; the picture does not, so it averages out.
///
/// Rows first: each row is added whole to the accumulator of the tile row it falls on (a
/// vector add per 8 samples in the SIMD form), then each accumulator's samples go to their
/// tile columns (in the SIMD form, run by run of consecutive tile columns). A position's
/// count is the number of rows falling on its tile row times the number of columns falling
/// on its tile column. Both forms add in the same order, so they agree bit for bit.
struct TileFold {
    static let side = RobustLayout.detectionTile
    /// side x side averages, row-major.
    var values: [Float]

    init(_ whitened: Plane, scale: Double, mode: KernelMode = .simd) {
        self.init(whitened, scale: SIMD2(repeating: scale), mode: mode)
    }

    /// The fold of a frame enlarged by `scale.x` across and `scale.y` down.
    init(_ whitened: Plane, scale: SIMD2<Double>, mode: KernelMode = .simd) {
        let side = Self.side, width = whitened.width
        let tileIndex = { (p: Int, scale: Double) in Int(((Double(p) + 0.5) / scale).rounded(.down)) % side }
        var rows = [Float](repeating: 0, count: side * width)
        var rowCounts = [Float](repeating: 0, count: side)
        whitened.samples.withUnsafeBufferPointer { w in
            rows.withUnsafeMutableBufferPointer { acc in
                for y in 0..<whitened.height {
                    let r = tileIndex(y, scale.y)
                    rowCounts[r] += 1
                    Self.add(w.baseAddress! + y * width, into: acc.baseAddress! + r * width, count: width, mode: mode)
                }
            }
        }
        let columns = (0..<width).map { Int32(tileIndex($0, scale.x)) }
        var columnCounts = [Float](repeating: 0, count: side)
        for column in columns { columnCounts[Int(column)] += 1 }
        var sums = [Float](repeating: 0, count: side * side)
        // Runs of columns that fall on consecutive tile columns (whole tiles at scale 1): the
        // SIMD form adds each run as one vector add; every position still receives its
        // columns in the same order.
        var runs: [(column: Int, tileColumn: Int, count: Int)] = []
        for (x, c) in columns.enumerated() {
            if let last = runs.last, last.column + last.count == x, last.tileColumn + last.count == Int(c) {
                runs[runs.count - 1].count += 1
            } else {
                runs.append((x, Int(c), 1))
            }
        }
        columns.withUnsafeBufferPointer { c in
            rows.withUnsafeBufferPointer { acc in
                sums.withUnsafeMutableBufferPointer { out in
                    for r in 0..<side where rowCounts[r] > 0 {
                        let target = out.baseAddress! + r &* side, source = acc.baseAddress! + r &* width
                        switch mode {
                        case .reference:
                            for x in 0..<width { target[Int(c[x])] += source[x] }
                        case .simd:
                            for run in runs {
                                Self.add(
                                    source + run.column, into: target + run.tileColumn, count: run.count, mode: mode)
                            }
                        }
                    }
                }
            }
        }
        values = (0..<side * side).map { i in
            let count = rowCounts[i / side] * columnCounts[i % side]
            return count > 0 ? sums[i] / count : 0
        }
    }

    /// `row[x] += source[x]` for `count` samples.
    static func add(
        _ source: UnsafePointer<Float>, into row: UnsafeMutablePointer<Float>, count: Int, mode: KernelMode
    ) {
        var x = 0
        if mode == .simd {
            let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(row)
            while x &+ 8 <= count {
                let sum = to.loadUnaligned(fromByteOffset: x &* 4, as: SIMD8<Float>.self)
                    + from.loadUnaligned(fromByteOffset: x &* 4, as: SIMD8<Float>.self)
                to.storeBytes(of: sum, toByteOffset: x &* 4, as: SIMD8<Float>.self)
                x &+= 8
            }
        }
        while x < count {
            row[x] += source[x]
            x &+= 1
        }
    }
}
