import ImageCore

/// Finds the mark in a picture that may have been resized, squeezed, rotated, cropped,
/// pasted into a larger canvas, mirrored and recompressed, under one key or several.
///
/// 1. The detection frame (the picture scaled so that its shorter side is
///    ``RobustLayout/detectionShortSide`` pixels), whitened and folded as it is: most
///    copies (recompressed, resized) keep their whole frame, and are read here; then
///    folded at scales nudged by a few tenths of a percent (``wholeNudges``).
/// 2. Otherwise the tile grid is read from the whitened frame's autocorrelation
///    (``TileLattice``, up to ``latticeCandidates`` of them), the picture is resampled so
///    that the grid is upright and square again (``RectifiedFrame``), and that frame is
///    folded as it is and mirrored.
/// 3. Last, the crop search of the first generation: the whole frame folded at each
///    enlargement a crop across the shorter side causes (up to a quarter off), ranked by
///    the key's pilots. It needs no autocorrelation peak, so it still reads a cropped copy
///    whose mark is too faint for the grid to show (a small banner saved as JPEG 50).
///
/// Everything up to the fold is the same whatever the key; only the pilots' correlation
/// and the decode are done per key, so reading under eight keys costs little more than
/// under one.
///
/// Only a payload whose 40-bit tag verifies is an answer, and a decode is tried only where
/// the pilots stand ``minimumScore`` standard deviations above chance. At most
/// ``maxDecodes`` decodes are tried per picture and key, each trying the ``listSize`` most
/// likely payloads, so a picture without the mark, or marked under another key, reads as
/// marked under a given key with probability at most `13 x 8 x 2^-40`, below `2^-33`.
enum RobustDetector {
    /// Payloads a decode tries (`ConvolutionalCode.decodeList`): each is one more chance
    /// for a tag to verify by chance, so the bound on false names is ``maxDecodes`` times
    /// this times `2^-40`. On the robustness trial (seed 7, 800 cases) a list of 8 read 12
    /// more copies than one path, most of them turned, squeezed and saved at JPEG 50-65,
    /// and 16 read 4 more again; 8 keeps the bound below `2^-33`.
    static let listSize = 8
    /// Pilots must stand out this many standard deviations before a decode is tried.
    static let minimumScore = 4.0
    /// Lattices tried when the whole frame does not read.
    static let latticeCandidates = 3
    /// The whole frame, the whole frame nudged, each lattice (and the strongest as a square,
    /// `TileLattice.squared`) as it is and mirrored, then the best three of the crop search.
    static let maxDecodes = 2 + 2 * (latticeCandidates + 1) + cropCandidates
    /// The crop search: the whole frame folded at enlargements from 0.985 to
    /// ``maxCropScale`` in steps of ``coarseStep`` (1 itself excepted); the three whose
    /// pilots stand out most are nudged by ``fineStep`` either way and decoded. Its 49
    /// folds are about half of an unmarked picture's search.
    static let cropCandidates = 3
    static let coarseStep = 0.0075
    static let fineStep = 0.003
    /// A quarter cut off the shorter side.
    static let maxCropScale = 1 / 0.75
    /// When the whole frame does not decode as it is, it is folded at these scales too (a
    /// resampled copy's tile can be a few tenths of a percent off, which blurs the fold's
    /// far tiles), and decoded at the one whose pilots stand out most.
    static let wholeNudges = [0.994, 0.997, 1.003, 1.006]
    /// A lattice read from the autocorrelation is folded at its own scale and nudged by
    /// these (its peaks place it to a few tenths of a pixel), and when nearly square, as a
    /// square on either side too (`TileLattice.nearSquareRatio`).
    static let latticeNudges = [1, 0.997, 1.003]

    /// The first of `keys` whose mark is found, and what was found; `decodes[k]` counts the
    /// decodes tried under `keys[k]` (never more than ``maxDecodes``). `observe`, when
    /// given, is shown every synchronisation a key's decode is considered for, whether or
    /// not its pilots stand out enough to be decoded (`RobustMark.capacity(of:key:id:)`).
    static func detect(
        _ image: PixelBuffer, keys: [RobustKey], decodes: inout [Int],
        observe: ((_ keyIndex: Int, _ sync: PilotSync) -> Void)? = nil
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
        // never more than `maxDecodes` are tried per key. Of several folds of one grid (its
        // scale nudged), each key decodes only the one its pilots stand out most in.
        func read(_ folds: [PilotSync.Cells]) -> (index: Int, id: UInt64, score: Double)? {
            for (index, key) in keys.enumerated() where decodes[index] < maxDecodes {
                let sync = folds.map { PilotSync($0, taps: taps[index]) }.max { $0.score < $1.score }!
                observe?(index, sync)
                guard sync.score >= minimumScore else { continue }
                decodes[index] += 1
                if let id = decode(sync, key: key, plan: key.plan) { return (index, id, sync.score) }
            }
            return nil
        }
        func folds(_ plane: Plane, _ scale: SIMD2<Double>, nudges: [Double]) -> [PilotSync.Cells] {
            nudges.map { PilotSync.Cells(TileFold(plane, scale: scale * $0)) }
        }
        let whole = SIMD2<Double>(1, 1)
        if let found = read(folds(whitened, whole, nudges: [1])) ?? read(folds(whitened, whole, nudges: wholeNudges)) {
            return (found.index, RobustDetection(id: found.id, score: found.score, scale: 1, rotation: 0, mirrored: false))
        }
        let correlation = Autocorrelation(whitened)
        let lattices = TileLattice.candidates(
            whitened, frameFactor: factor, limit: latticeCandidates, correlation: correlation)
        for lattice in lattices {
            let rectified = RectifiedFrame(image, lattice: lattice, frameFactor: factor)
            // The whole frame's own grid was read above; only its mirror is new.
            for mirrored in [false, true] where mirrored || !lattice.isWholeFrame {
                let plane = mirrored ? rectified.whitened.mirrored() : rectified.whitened
                var candidates = folds(plane, rectified.tileScale, nudges: latticeNudges)
                if let ratio = lattice.nearSquareRatio {
                    // The tile as a square on `a`: `b`'s side stretched to `a`'s length.
                    candidates.append(PilotSync.Cells(TileFold(plane, scale: rectified.tileScale * SIMD2(1, ratio))))
                    candidates.append(PilotSync.Cells(TileFold(plane, scale: rectified.tileScale * SIMD2(1 / ratio, 1))))
                }
                guard let found = read(candidates) else { continue }
                let side = abs(lattice.determinant).squareRoot() / Double(RobustLayout.detectionTile)
                let detection = RobustDetection(
                    id: found.id, score: found.score, scale: side, rotation: lattice.rotation * 180 / .pi,
                    mirrored: mirrored)
                return (found.index, detection)
            }
        }
        if let found = cropSearch(whitened, keys: keys, taps: taps, decodes: &decodes, observe: observe) {
            let detection = RobustDetection(
                id: found.id, score: found.score, scale: found.scale, rotation: 0, mirrored: false)
            return (found.index, detection)
        }
        return nil
    }

    /// Step 3 of the search (see ``RobustDetector``): the coarse folds are shared by the
    /// keys, the nudged ones are folded for the key that ranks them.
    static func cropSearch(
        _ whitened: Plane, keys: [RobustKey], taps: [PilotSync.Taps], decodes: inout [Int],
        observe: ((_ keyIndex: Int, _ sync: PilotSync) -> Void)? = nil
    ) -> (index: Int, id: UInt64, score: Double, scale: Double)? {
        let scales = Array(stride(from: 0.985, through: maxCropScale + 0.01, by: coarseStep))
            .filter { abs($0 - 1) > coarseStep / 2 }
        let coarse = scales.map { PilotSync.Cells(TileFold(whitened, scale: $0)) }
        for (index, key) in keys.enumerated() where decodes[index] < maxDecodes {
            let ranked = zip(scales, coarse).map { (scale: $0, sync: PilotSync($1, taps: taps[index])) }
                .sorted { $0.sync.score > $1.sync.score }
            for candidate in ranked.prefix(cropCandidates) where decodes[index] < maxDecodes {
                var best = candidate
                for scale in [candidate.scale - fineStep, candidate.scale + fineStep] {
                    let sync = PilotSync(PilotSync.Cells(TileFold(whitened, scale: scale)), taps: taps[index])
                    if sync.score > best.sync.score { best = (scale, sync) }
                }
                observe?(index, best.sync)
                guard best.sync.score >= minimumScore else { continue }
                decodes[index] += 1
                if let id = decode(best.sync, key: key, plan: key.plan) {
                    return (index, id, best.sync.score, best.scale)
                }
            }
        }
        return nil
    }

    /// The identifier whose tag verifies, from the synchronised cell sums: the most likely
    /// payload first (a single Viterbi path, a fifth of a list's cost, and what a mark that
    /// is read at all nearly always gives), then the rest of the ``listSize`` most likely.
    static func decode(_ sync: PilotSync, key: RobustKey, plan: RobustPlan) -> UInt64? {
        var soft = [Float](repeating: 0, count: RobustLayout.codedBits)
        for (k, cell) in plan.dataCells.enumerated() {
            soft[plan.codedBitOfDataCell[k]] += sync.cells[cell] * plan.chips[cell]
        }
        if let id = verified(ConvolutionalCode.decode(soft, infoBits: RobustLayout.infoBits), key: key) { return id }
        // The list's first is the path just tried.
        for info in ConvolutionalCode.decodeList(soft, infoBits: RobustLayout.infoBits, count: listSize).dropFirst() {
            if let id = verified(info, key: key) { return id }
        }
        return nil
    }

    /// The identifier of a decoded payload whose tag verifies under `key`.
    static func verified(_ info: [UInt8], key: RobustKey) -> UInt64? {
        let id = info.prefix(RobustLayout.idBits).reduce(UInt64(0)) { $0 << 1 | UInt64($1) }
        let tag = key.tag(of: id)
        // Constant time: every bit is compared.
        let difference = zip(tag, info.dropFirst(RobustLayout.idBits)).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) }
        return difference == 0 ? id : nil
    }
}
