import Foundation

/// The mark's field over an image: each cell's sign (``RobustPlan/cellSigns(coded:)``)
/// placed at the cell's centre and blended to its neighbours with cos^2 weights, which sum
/// to one everywhere. The field is smooth (no dots or block edges on flat paper) and
/// ranges over -1...1.
///
/// Separable: each of the tile's cell rows is blended along x once (``blendedRows``), and
/// a row of the field is the blend of the two cell rows it lies between, a vector
/// multiply-add per 8 pixels.
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
    let rows: Axis
    /// `blendedRows[j * width + x]`: the tile's cell row `j` blended along x at column `x`.
    let blendedRows: [Float]

    init(width: Int, height: Int, signs: [Float]) {
        let pixelsPerUnit = Double(min(width, height)) / Double(RobustLayout.frameShortSide)
        let n = RobustLayout.tileCells
        let columns = Axis(count: width, pixelsPerUnit: pixelsPerUnit)
        var blended = [Float](repeating: 0, count: n * width)
        for j in 0..<n {
            for x in 0..<width {
                let w0 = columns.firstWeight[x]
                blended[j * width + x] =
                    w0 * signs[j * n + Int(columns.first[x])] + (1 - w0) * signs[j * n + Int(columns.second[x])]
            }
        }
        (self.width, self.height, blendedRows) = (width, height, blended)
        rows = Axis(count: height, pixelsPerUnit: pixelsPerUnit)
    }

    /// Row `y` of the field into `out` (`width` values).
    func row(_ y: Int, into out: inout [Float]) {
        let r0 = Int(rows.first[y]) * width, r1 = Int(rows.second[y]) * width
        let wy0 = rows.firstWeight[y], wy1 = 1 - wy0
        blendedRows.withUnsafeBufferPointer { b in
            out.withUnsafeMutableBufferPointer { o in
                var x = 0
                let raw = UnsafeRawPointer(b.baseAddress!), to = UnsafeMutableRawPointer(o.baseAddress!)
                let v0 = SIMD8<Float>(repeating: wy0), v1 = SIMD8<Float>(repeating: wy1)
                while x &+ 8 <= width {
                    let value = v0 * raw.loadUnaligned(fromByteOffset: (r0 &+ x) &* 4, as: SIMD8<Float>.self)
                        + v1 * raw.loadUnaligned(fromByteOffset: (r1 &+ x) &* 4, as: SIMD8<Float>.self)
                    to.storeBytes(of: value, toByteOffset: x &* 4, as: SIMD8<Float>.self)
                    x &+= 8
                }
                while x < width {
                    o[x] = wy0 * b[r0 &+ x] + wy1 * b[r1 &+ x]
                    x &+= 1
                }
            }
        }
    }
}
