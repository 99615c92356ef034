import Foundation

/// Where the tile starts in a fold, found from the pilots: for each of the 16 sub-cell
/// phases, every cell's matched-filter sum (a sin^2 bump peaking at the cell's centre),
/// then the cyclic correlation of those sums with the pilots' chips over all 24 x 24 cell
/// shifts. The best of the 9,216 candidates, and how far it stands above the others in
/// standard deviations (a mark gives 8 or more; a picture without one about 4).
struct PilotSync {
    /// Cell sums at the best phase, shifted so that index = tile cell (row-major).
    let cells: [Float]
    /// Standard deviations of the best candidate above the mean of all.
    let score: Double

    static let bump: [Float] = (0..<RobustLayout.detectionCell).map {
        let s = Float.pi * (Float($0) + 0.5) / Float(RobustLayout.detectionCell)
        return sin(s) * sin(s)
    }

    /// The pilots as correlation taps: the chip, and the cell's offset in a sums array
    /// doubled in both directions (2n x 2n), so that a cyclic shift needs no modulo.
    struct Taps: Sendable {
        let chips: [Float]
        let rows: [Int]
        let columns: [Int]

        init(_ plan: RobustPlan) {
            let n = RobustLayout.tileCells
            chips = plan.pilots.map { plan.chips[$0] }
            rows = plan.pilots.map { $0 / n }
            columns = plan.pilots.map { $0 % n }
        }
    }

    /// Each cell's bump-weighted sum at phase (py, px), written twice over in both
    /// directions into `wrapped` (2n x 2n).
    static func cellSums(_ fold: TileFold, phaseY py: Int, phaseX px: Int, into wrapped: inout [Float]) {
        let n = RobustLayout.tileCells, c = RobustLayout.detectionCell, side = TileFold.side
        fold.values.withUnsafeBufferPointer { f in
            for i in 0..<n {
                for j in 0..<n {
                    var s: Float = 0
                    for a in 0..<c {
                        let row = ((py &+ c &* i &+ a) % side) &* side
                        let wa = bump[a]
                        for b in 0..<c { s += f[row &+ (px &+ c &* j &+ b) % side] * wa * bump[b] }
                    }
                    wrapped[i * 2 * n + j] = s
                    wrapped[i * 2 * n + j + n] = s
                    wrapped[(i + n) * 2 * n + j] = s
                    wrapped[(i + n) * 2 * n + j + n] = s
                }
            }
        }
    }

    /// `scores[di * n + dj]`: the pilots' correlation with the cell sums shifted by (di, dj).
    /// Per pilot and shift row, one run of n multiply-adds over a contiguous row.
    static func correlate(_ wrapped: [Float], taps: Taps, into scores: inout [Float]) {
        let n = RobustLayout.tileCells, stride = 2 * n
        scores.withUnsafeMutableBufferPointer { out in
            out.update(repeating: 0)
            wrapped.withUnsafeBufferPointer { w in
                for k in 0..<taps.chips.count {
                    let chip = taps.chips[k]
                    for di in 0..<n {
                        let source = (taps.rows[k] &+ di) &* stride &+ taps.columns[k]
                        let target = di &* n
                        for dj in 0..<n { out[target &+ dj] += chip * w[source &+ dj] }
                    }
                }
            }
        }
    }

    init(_ fold: TileFold, taps: Taps) {
        let n = RobustLayout.tileCells, c = RobustLayout.detectionCell
        var wrapped = [Float](repeating: 0, count: 4 * n * n)
        var scores = [Float](repeating: 0, count: n * n)
        var best = (score: -Float.infinity, py: 0, px: 0, shift: 0)
        var sum: Double = 0, sumSquares: Double = 0
        for py in 0..<c {
            for px in 0..<c {
                Self.cellSums(fold, phaseY: py, phaseX: px, into: &wrapped)
                Self.correlate(wrapped, taps: taps, into: &scores)
                for (shift, s) in scores.enumerated() {
                    sum += Double(s)
                    sumSquares += Double(s) * Double(s)
                    if s > best.score { best = (s, py, px, shift) }
                }
            }
        }
        let count = Double(c * c * n * n)
        let mean = sum / count
        let deviation = max(sumSquares / count - mean * mean, 0).squareRoot()
        score = deviation > 0 ? (Double(best.score) - mean) / deviation : 0
        Self.cellSums(fold, phaseY: best.py, phaseX: best.px, into: &wrapped)
        let (di, dj) = (best.shift / n, best.shift % n)
        cells = (0..<n * n).map { wrapped[($0 / n + di) * 2 * n + $0 % n + dj] }
    }
}
