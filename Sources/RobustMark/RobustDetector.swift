import ImageCore
import Foundation

/// Finds the mark in a picture that may have been resized, cropped and recompressed:
/// normalise to the detection frame, whiten, try the whole frame as it is, then search the apparent enlargement a crop
/// causes (1 to ``RobustLayout/maxCropScale``) in steps of 0.75%, keep the three scales
/// whose pilots stand out most, refine each by +-0.3%, and decode. Only a payload whose
/// 40-bit tag verifies is an answer; with at most four decodes, a picture without a mark
/// reads as none except with probability below 4 x 2^-40.
enum RobustDetector {
    /// Pilots must stand out this many standard deviations before a decode is tried.
    static let minimumScore = 4.0
    static let coarseStep = 0.0075
    static let fineStep = 0.003

    static func detect(_ image: PixelBuffer, key: RobustKey, plan: RobustPlan) -> RobustDetection? {
        // Out of any coupon's shape: refused before the frame is allocated (its size grows
        // with the aspect ratio).
        guard RobustMark.canCarry(width: image.width, height: image.height) else { return nil }
        let factor = Double(RobustLayout.detectionShortSide) / Double(min(image.width, image.height))
        let frame = Plane(
            luma: image, resampledTo: max(1, Int((Double(image.width) * factor).rounded())),
            max(1, Int((Double(image.height) * factor).rounded())))
        let whitened = Whitening.whiten(frame)
        let taps = PilotSync.Taps(plan)
        // Most pictures keep their whole frame (resized or recompressed, not cropped across
        // the shorter side): try that first and skip the search when it decodes.
        let whole = PilotSync(TileFold(whitened, scale: 1), taps: taps)
        if whole.score >= minimumScore, let id = decode(whole, key: key, plan: plan) {
            return RobustDetection(id: id, score: whole.score, scale: 1)
        }
        // The whole frame is the search's scale 1: it is not folded twice.
        var candidates: [(sync: PilotSync, scale: Double)] = [(whole, 1)]
        for scale in stride(from: 0.985, through: RobustLayout.maxCropScale + 0.02, by: coarseStep)
        where abs(scale - 1) > coarseStep / 2 {
            candidates.append((PilotSync(TileFold(whitened, scale: scale), taps: taps), scale))
        }
        candidates.sort { $0.sync.score > $1.sync.score }
        for candidate in candidates.prefix(3) {
            var best = candidate
            for scale in [candidate.scale - fineStep, candidate.scale + fineStep] {
                let sync = PilotSync(TileFold(whitened, scale: scale), taps: taps)
                if sync.score > best.sync.score { best = (sync, scale) }
            }
            guard best.sync.score >= minimumScore else { continue }
            if let id = decode(best.sync, key: key, plan: plan) {
                return RobustDetection(id: id, score: best.sync.score, scale: best.scale)
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
