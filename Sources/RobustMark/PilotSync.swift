import Foundation
import ImageCore

/// Where the tile starts in a fold, found from the pilots: the fold's matched-filter
/// response (``SyncKernels/bumpFilter(_:into:mode:)``) sampled at every cell, at the one of
/// the 16 sub-cell phases where those samples carry the most energy, then the cyclic
/// correlation of the cell sums with the pilots' chips over all 24 x 24 cell shifts. The
/// best shift, and how far it stands above the others in standard deviations (on the
/// README's coupon: 9.3 marked, 3.3 unmarked, at most 3.9 over the crop search's scales).
/// Correlating all 16 phases found the same marks on the robustness trial at 3.6 times
/// the cost.
struct PilotSync {
    /// Cell sums at the best phase, shifted so that index = tile cell (row-major).
    let cells: [Float]
    /// Standard deviations of the best candidate above the mean of all.
    let score: Double

    static let bump: [Float] = (0..<RobustLayout.detectionCell).map {
        let s = Float.pi * (Float($0) + 0.5) / Float(RobustLayout.detectionCell)
        return sin(s) * sin(s)
    }

    /// The pilots as correlation taps: each one's chip and cell row and column.
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

    /// The sub-cell phase (`py * 4 + px`) whose cell samples carry the most energy: the
    /// mark's field peaks at its cells' centres, so the matched filter's response there is
    /// strongest, whatever the cells' signs.
    static func strongestPhase(_ filtered: [Float]) -> Int {
        let n = RobustLayout.tileCells, c = RobustLayout.detectionCell, side = TileFold.side
        var best = (phase: 0, energy: -Float.infinity)
        for py in 0..<c {
            for px in 0..<c {
                var energy: Float = 0
                for i in 0..<n {
                    for j in 0..<n {
                        let v = filtered[(py + c * i) * side + px + c * j]
                        energy += v * v
                    }
                }
                if energy > best.energy { best = (py * c + px, energy) }
            }
        }
        return best.phase
    }

    /// The cell sums at phase (py, px), repeated to 2n x 2n so that a cyclic shift needs no modulo.
    static func cellSums(_ filtered: [Float], phaseY py: Int, phaseX px: Int, into wrapped: inout [Float]) {
        let n = RobustLayout.tileCells, c = RobustLayout.detectionCell, side = TileFold.side
        for i in 0..<n {
            for j in 0..<n {
                let s = filtered[(py + c * i) * side + px + c * j]
                wrapped[i * 2 * n + j] = s
                wrapped[i * 2 * n + j + n] = s
                wrapped[(i + n) * 2 * n + j] = s
                wrapped[(i + n) * 2 * n + j + n] = s
            }
        }
    }

    /// What the pilots are correlated with, whichever key's they are: a fold's matched-filter
    /// response at the strongest phase, as cell sums repeated to 2n x 2n. One fold serves
    /// every key a picture is read under.
    struct Cells: Sendable {
        let wrapped: [Float]

        init(_ fold: TileFold, mode: KernelMode = .simd) {
            let n = RobustLayout.tileCells, c = RobustLayout.detectionCell
            var filtered = [Float](repeating: 0, count: TileFold.side * TileFold.side)
            SyncKernels.bumpFilter(fold.values, into: &filtered, mode: mode)
            let phase = PilotSync.strongestPhase(filtered)
            var wrapped = [Float](repeating: 0, count: 4 * n * n)
            PilotSync.cellSums(filtered, phaseY: phase / c, phaseX: phase % c, into: &wrapped)
            self.wrapped = wrapped
        }
    }

    init(_ fold: TileFold, taps: Taps, mode: KernelMode = .simd) {
        self.init(Cells(fold, mode: mode), taps: taps, mode: mode)
    }

    init(_ grid: Cells, taps: Taps, mode: KernelMode = .simd) {
        let n = RobustLayout.tileCells
        let wrapped = grid.wrapped
        var scores = [Float](repeating: 0, count: n * n)
        SyncKernels.correlate(wrapped, taps: taps, into: &scores, mode: mode)
        var best = (score: -Float.infinity, shift: 0)
        var sum: Double = 0, sumSquares: Double = 0
        for (shift, s) in scores.enumerated() {
            sum += Double(s)
            sumSquares += Double(s) * Double(s)
            if s > best.score { best = (s, shift) }
        }
        let count = Double(n * n)
        let mean = sum / count
        let deviation = max(sumSquares / count - mean * mean, 0).squareRoot()
        score = deviation > 0 ? (Double(best.score) - mean) / deviation : 0
        let (di, dj) = (best.shift / n, best.shift % n)
        cells = (0..<n * n).map { wrapped[($0 / n + di) * 2 * n + $0 % n + dj] }
    }
}
