import ImageCore
import Foundation

/// Finds the mark in a picture that may have been resized, squeezed, rotated, cropped,
/// pasted into a larger canvas, mirrored and recompressed, under one key or several.
///
/// 1. The detection frame (the picture scaled so that its shorter side is
///    ``RobustLayout/detectionShortSide`` pixels), whitened and folded as it is: most
///    copies (recompressed, resized) keep their whole frame, and are read here.
/// 2. Otherwise the tile grid is read from the whitened frame's autocorrelation
///    (``TileLattice``, up to ``latticeCandidates`` of them), the picture is resampled so
///    that the grid is upright and square again (``RectifiedFrame``), and that frame is
///    folded as it is and mirrored.
///
/// Everything up to the fold is the same whatever the key; only the pilots' correlation
/// and the decode are done per key, so reading under eight keys costs little more than
/// under one.
///
/// Only a payload whose 40-bit tag verifies is an answer, and a decode is tried only where
/// the pilots stand ``minimumScore`` standard deviations above chance. At most
/// ``maxDecodes`` decodes are tried per picture and key, so a picture without the mark,
/// or marked under another key, reads as marked under a given key with probability at
/// most `7 x 2^-40`, below `2^-37`.
enum RobustDetector {
    /// Pilots must stand out this many standard deviations before a decode is tried.
    static let minimumScore = 4.0
    /// Lattices tried when the whole frame does not read.
    static let latticeCandidates = 3
    /// The whole frame, then each lattice as it is and mirrored.
    static let maxDecodes = 1 + 2 * latticeCandidates

    /// The first of `keys` whose mark is found, and what was found; `decodes[k]` counts the
    /// decodes tried under `keys[k]` (never more than ``maxDecodes``).
    static func detect(
        _ image: PixelBuffer, keys: [RobustKey], decodes: inout [Int]
    ) -> (index: Int, detection: RobustDetection)? {
        decodes = [Int](repeating: 0, count: keys.count)
        // Out of any coupon's shape: refused before the frame is allocated (its size grows
        // with the aspect ratio).
        guard !keys.isEmpty, RobustMark.canCarry(width: image.width, height: image.height) else { return nil }
        let factor = Double(RobustLayout.detectionShortSide) / Double(min(image.width, image.height))
        let frame = Plane(
            luma: image, resampledTo: max(1, Int((Double(image.width) * factor).rounded())),
            max(1, Int((Double(image.height) * factor).rounded())))
        let whitened = Whitening.whiten(frame)
        let taps = keys.map { PilotSync.Taps($0.plan) }
        // Each decode that verifies its tag by chance is a false name: they are counted, and
        // never more than `maxDecodes` are tried per key.
        func read(_ cells: PilotSync.Cells) -> (index: Int, id: UInt64, score: Double)? {
            for (index, key) in keys.enumerated() where decodes[index] < maxDecodes {
                let sync = PilotSync(cells, taps: taps[index])
                guard sync.score >= minimumScore else { continue }
                decodes[index] += 1
                if let id = decode(sync, key: key, plan: key.plan) { return (index, id, sync.score) }
            }
            return nil
        }
        if let found = read(PilotSync.Cells(TileFold(whitened, scale: 1))) {
            return (found.index, RobustDetection(id: found.id, score: found.score, scale: 1, rotation: 0, mirrored: false))
        }
        for lattice in TileLattice.candidates(whitened, limit: latticeCandidates) {
            let rectified = RectifiedFrame(image, lattice: lattice, frameFactor: factor)
            // The whole frame's own grid was read above; only its mirror is new.
            for mirrored in [false, true] where mirrored || !lattice.isWholeFrame {
                let plane = mirrored ? rectified.whitened.mirrored() : rectified.whitened
                guard let found = read(PilotSync.Cells(TileFold(plane, scale: rectified.tileScale))) else { continue }
                let side = abs(lattice.determinant).squareRoot() / Double(RobustLayout.detectionTile)
                let detection = RobustDetection(
                    id: found.id, score: found.score, scale: side, rotation: lattice.rotation * 180 / .pi,
                    mirrored: mirrored)
                return (found.index, detection)
            }
        }
        return nil
    }

    /// The identifier whose tag verifies, from the synchronised cell sums.
    static func decode(_ sync: PilotSync, key: RobustKey, plan: RobustPlan) -> UInt64? {
        var soft = [Float](repeating: 0, count: RobustLayout.codedBits)
        for (k, cell) in plan.dataCells.enumerated() {
            soft[plan.codedBitOfDataCell[k]] += sync.cells[cell] * plan.chips[cell]
        }
        let info = ConvolutionalCode.decode(soft, infoBits: RobustLayout.infoBits)
        let id = info.prefix(RobustLayout.idBits).reduce(UInt64(0)) { $0 << 1 | UInt64($1) }
        let tag = key.tag(of: id)
        // Constant time: every bit is compared.
        let difference = zip(tag, info.dropFirst(RobustLayout.idBits)).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) }
        return difference == 0 ? id : nil
    }
}
