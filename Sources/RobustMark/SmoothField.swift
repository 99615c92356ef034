import Foundation

/// The mark's field over an image: each cell's sign (``RobustPlan/cellSigns(coded:)``)
/// placed at the cell's centre and blended to its neighbours with cos^2 weights, which sum
/// to one everywhere. The field is smooth (no dots or block edges on flat paper) and
/// ranges over -1...1.
struct SmoothField {
    /// Per column (or row): the two cells it lies between and their weights.
    struct Axis {
        var first: [Int32]
        var second: [Int32]
        var firstWeight: [Float]

        /// `count` pixels at `pixelsPerUnit` pixels per frame unit.
        init(count: Int, pixelsPerUnit: Double) {
            first = []
            second = []
            firstWeight = []
            for p in 0..<count {
                let units = (Double(p) + 0.5) / pixelsPerUnit
                let c = units / Double(RobustLayout.cell) - 0.5
                let i0 = Int(c.rounded(.down))
                let t = c - Double(i0)
                let w1 = sin(Double.pi * t / 2) * sin(Double.pi * t / 2)
                let n = RobustLayout.tileCells
                first.append(Int32(((i0 % n) + n) % n))
                second.append(Int32((((i0 + 1) % n) + n) % n))
                firstWeight.append(Float(1 - w1))
            }
        }
    }

    let width: Int
    let height: Int
    let columns: Axis
    let rows: Axis
    let signs: [Float]

    init(width: Int, height: Int, signs: [Float]) {
        let pixelsPerUnit = Double(min(width, height)) / Double(RobustLayout.frameShortSide)
        (self.width, self.height, self.signs) = (width, height, signs)
        columns = Axis(count: width, pixelsPerUnit: pixelsPerUnit)
        rows = Axis(count: height, pixelsPerUnit: pixelsPerUnit)
    }

    /// Row `y` of the field into `out` (`width` values). `blended` is scratch space the
    /// caller keeps across rows, so that no row allocates.
    func row(_ y: Int, into out: inout [Float], blended: inout [Float]) {
        let n = RobustLayout.tileCells
        let r0 = Int(rows.first[y]) * n, r1 = Int(rows.second[y]) * n
        let wy0 = rows.firstWeight[y], wy1 = 1 - wy0
        // The two cell rows blended once, then each column blends two of those.
        if blended.count != n { blended = [Float](repeating: 0, count: n) }
        for j in 0..<n { blended[j] = wy0 * signs[r0 + j] + wy1 * signs[r1 + j] }
        blended.withUnsafeBufferPointer { b in
            columns.firstWeight.withUnsafeBufferPointer { w in
                columns.first.withUnsafeBufferPointer { c0 in
                    columns.second.withUnsafeBufferPointer { c1 in
                        out.withUnsafeMutableBufferPointer { o in
                            for x in 0..<width {
                                let wx0 = w[x]
                                o[x] = wx0 * b[Int(c0[x])] + (1 - wx0) * b[Int(c1[x])]
                            }
                        }
                    }
                }
            }
        }
    }
}
