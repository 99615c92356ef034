import Foundation
public import ImageCore

/// How much a copy's mark could still carry, measured against the identifier it was
/// marked with: what tells a copy the search lost (the pilots stood out, the payload
/// should have decoded) from a copy whose mark is too faint for any code.
///
/// Each data cell of the fold, times its chip and the sign its coded bit should have, is
/// one use of a binary channel whose output is Gaussian: `cellSNR` is that output's mean
/// over its standard deviation across the 432 data cells, and `bits` the capacity of the
/// binary-input Gaussian channel at that ratio times the 432 cells: more than any code
/// could carry through those cells, to the accuracy of the Gaussian model. The payload
/// needs ``neededBits`` (the identifier, its tag and the code's tail). The robustness
/// trial found the convolutional code decoding from about 115 bits of capacity, within
/// a tenth of this bound: where the payload is lost, the mark is too faint, not the code
/// too weak.
public struct RobustCapacity: Sendable, Equatable {
    /// Bits the payload needs: the 64-bit identifier, its 40-bit tag and the code's 6 tail bits.
    public static let neededBits = RobustLayout.infoBits + ConvolutionalCode.memory

    /// How far the pilots stood above chance at the synchronisation measured.
    public let pilotScore: Double
    /// The data cells' mean over their standard deviation (0 when the mean is not positive).
    public let cellSNR: Double
    /// The most the data cells could carry, in bits.
    public let bits: Double

    /// The capacity of the data cells of `sync` for the coded bits of `id` under `key`.
    init(_ sync: PilotSync, key: RobustKey, id: UInt64) {
        let plan = key.plan
        let coded = ConvolutionalCode.encode(RobustMark.bitsOf(id) + key.tag(of: id))
        let values = plan.dataCells.enumerated().map { k, cell in
            Double(sync.cells[cell] * plan.chips[cell]) * (coded[plan.codedBitOfDataCell[k]] == 1 ? 1 : -1)
        }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        let ratio = variance > 0 ? max(mean, 0) / variance.squareRoot() : 0
        pilotScore = sync.score
        cellSNR = ratio
        bits = Self.binaryGaussianCapacity(ratio) * Double(values.count)
    }

    /// Bits per use of a channel with inputs +-`a` and unit Gaussian noise:
    /// `1 - E[log2(1 + exp(-2a(a + z)))]` over `z ~ N(0, 1)`, on a grid of 801 points in
    /// -8...8 (the integrand is smooth; the error is far below what the estimate of `a` allows).
    static func binaryGaussianCapacity(_ a: Double) -> Double {
        guard a > 0 else { return 0 }
        var total = 0.0, weights = 0.0
        for i in -400...400 {
            let z = Double(i) / 50
            let weight = exp(-z * z / 2)
            let t = -2 * a * (a + z)
            let softplus = max(t, 0) + log1p(exp(-abs(t)))
            total += weight * softplus / log(2)
            weights += weight
        }
        return max(0, 1 - total / weights)
    }
}

extension RobustMark {
    /// The most `image`'s mark could carry for `id` under `key`: the detector's whole search
    /// is run, and of every synchronisation it tried, the one whose data cells carry most
    /// is reported (nil for a picture too small or too thin to search). A diagnosis for
    /// trials, not a detector: it needs the identifier it measures against.
    public static func capacity(of image: PixelBuffer, key: RobustKey, id: UInt64) -> RobustCapacity? {
        var decodes: [Int] = []
        var best: RobustCapacity?
        _ = RobustDetector.detect(image, keys: [key], decodes: &decodes) { _, sync in
            let measured = RobustCapacity(sync, key: key, id: id)
            if best.map({ measured.bits > $0.bits }) ?? true { best = measured }
        }
        return best
    }
}
