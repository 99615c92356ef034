import Foundation

/// The mark's field over an image: each cell's sign (``RobustPlan/cellSigns(coded:)``)
/// placed at the cell's centre and blended to its neighbours with cos^2 weights, which sum
/// to one everywhere. The field is smooth (no dots or block edges on flat paper) and
/// ranges over -1...1.
///
/// Separable: each of the tile's cell rows is blended along x once (``blendedRows``), and
/// a row of the field is the blend of the two cell rows it lies between
/// (``blend(ofRow:)``), which ``FieldKernel`` computes as it goes.
struct SmoothField {
    /// Per column (or row): the two cells it lies between and their weights.
    struct Axis {
        var first: [Int32]
        var second: [Int32]
        var firstWeight: [Float]

        /// `count` pixels at `pixelsPerUnit` pixels per frame unit.
        init(count: Int, pixelsPerUnit: Double) {
            (first, second, firstWeight) = ([], [], [])
            first.reserveCapacity(count)
            second.reserveCapacity(count)
            firstWeight.reserveCapacity(count)
            for p in 0..<count {
                let units = (Double(p) + 0.5) / pixelsPerUnit
                let c = units / Double(RobustLayout.cell) - 0.5
                let i0 = Int(c.rounded(.down))
                let t = c - Double(i0)
                let s = sin(Double.pi * t / 2)  // once: libm's `sin` is a call each time
                let w1 = s * s
                let n = RobustLayout.tileCells
                first.append(Int32(((i0 % n) + n) % n))
                second.append(Int32((((i0 + 1) % n) + n) % n))
                firstWeight.append(Float(1 - w1))
            }
        }
    }

    let width: Int
    let height: Int
    let rows: Axis
    /// `blendedRows[j * width + x]`: the tile's cell row `j` blended along x at column `x`.
    let blendedRows: [Float]

    init(width: Int, height: Int, signs: [Float]) {
        let pixelsPerUnit = Double(min(width, height)) / Double(RobustLayout.frameShortSide)
        let n = RobustLayout.tileCells
        let columns = Axis(count: width, pixelsPerUnit: pixelsPerUnit)
        let blended = [Float](writing: n * width) { out in
            signs.withUnsafeBufferPointer { signs in
                columns.first.withUnsafeBufferPointer { first in
                    columns.second.withUnsafeBufferPointer { second in
                        columns.firstWeight.withUnsafeBufferPointer { weight in
                            for j in 0..<n {
                                let row = signs.baseAddress! + j &* n, to = out.baseAddress! + j &* width
                                for x in 0..<width {
                                    let w0 = weight[x]
                                    to[x] = w0 * row[Int(first[x])] + (1 - w0) * row[Int(second[x])]
                                }
                            }
                        }
                    }
                }
            }
        }
        (self.width, self.height, blendedRows) = (width, height, blended)
        rows = Axis(count: height, pixelsPerUnit: pixelsPerUnit)
    }

    /// Row `y` of the field is `weights.0 * blendedRows[first + x] + weights.1 *
    /// blendedRows[second + x]`: the offsets of the two blended cell rows it lies between.
    func blend(ofRow y: Int) -> (first: Int, second: Int, weights: (Float, Float)) {
        let w0 = rows.firstWeight[y]
        return (Int(rows.first[y]) * width, Int(rows.second[y]) * width, (w0, 1 - w0))
    }
}
