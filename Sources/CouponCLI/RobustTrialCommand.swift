import ArgumentParser
import CouponArt
import Crypto
import Foundation
import ImageCore
import PNGCodec
import RobustMark

/// `coupon watermark robust-trial`: the robust layer's survival tables and false-positive
/// count, measured on freshly drawn artwork of several kinds (`TrialArtworkKind`), each
/// marked under its own key, put through families of transformations
/// (`RobustTrialFamily`) with parameters drawn at random. Deterministic for a given
/// `--seed`: artworks, keys, identifiers and parameters all come from SHA-256 of the seed
/// and what they are for.
struct RobustTrialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "robust-trial",
        abstract: "Measure what the robust layer survives, and how often an unmarked picture reads as marked.",
        discussion: """
            Each artwork (--artworks per kind) is marked under its own key and identifier, \
            then put through every chosen family: the random ones --cases times with fresh \
            parameters, classic, jpeg30 and webp50 once. A case counts as recovered when \
            the detector returns the artwork's identifier, as wrong when it returns another.

            Kinds: coupon (800x400 coupon artwork, every theme), large (1600x800), banner \
            (320x160), line-art (600x600 thin dark lines on white), photo (800x600 \
            gradients, noise, soft shapes).

            Families:
            \(RobustTrialFamily.allCases.map { "  \($0.rawValue): \($0.summary)" }.joined(separator: "\n"))

            Unmarked pictures, each read under a key of its own, cycle through freshly \
            drawn artworks, those put through a random case of a chosen family, and \
            artworks marked under another key.
            """)

    @Option(help: "Marked artworks per kind.") var artworks = 2
    @Option(help: "Cases per artwork of each family with random parameters.") var cases = 3
    @Option(help: "Comma-separated artwork kinds (default: all; \(TrialArtworkKind.names)).") var kinds: String?
    @Option(help: "Comma-separated transformation families (default: all; \(RobustTrialFamily.names)).")
    var families: String?
    @Option(help: "Unmarked pictures read with a key (fresh, transformed, marked under another key).")
    var unmarked = 200
    @Option(help: "Seed for artworks, keys, identifiers and parameters.") var seed = 1
    @Option(help: "Strength of the mark (RobustMark.embed's amplitude).") var amplitude = RobustMark.defaultAmplitude
    @Flag(
        help: """
            List every case not recovered, with its parameters, how far its pilots stood out and \
            how many bits its mark could still carry (text output).
            """)
    var misses = false
    @Option(help: "Directory to save every case not recovered in, as PNG (KIND-INDEX-FAMILY-CASE.png).")
    var saveMisses: String?
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard artworks >= 1, cases >= 1, unmarked >= 0 else {
            throw ValidationError("--artworks and --cases must be at least 1, --unmarked 0 or more")
        }
        guard amplitude > 0, amplitude.isFinite else { throw ValidationError("--amplitude must be above 0") }
        _ = try selectedKinds()
        _ = try selectedFamilies()
    }

    func selectedKinds() throws -> [TrialArtworkKind] {
        try Self.parseList(kinds, what: "kind", names: TrialArtworkKind.names)
    }

    func selectedFamilies() throws -> [RobustTrialFamily] {
        try Self.parseList(families, what: "family", names: RobustTrialFamily.names)
    }

    /// The comma-separated names in `list` (nil: every case), each once, in the order given.
    static func parseList<Value: CaseIterable & RawRepresentable & Equatable>(
        _ list: String?, what: String, names: String
    ) throws -> [Value] where Value.RawValue == String {
        guard let list else { return Array(Value.allCases) }
        var values: [Value] = []
        for name in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let value = Value(rawValue: name) else {
                throw ValidationError("unknown \(what) '\(name)'; valid: \(names)")
            }
            if !values.contains(value) { values.append(value) }
        }
        guard !values.isEmpty else { throw ValidationError("no \(what) given; valid: \(names)") }
        return values
    }

    // MARK: Report

    /// One classic transformation's row.
    struct Row: Encodable {
        let transformation: String
        let survived: Int
        let of: Int
    }

    struct KindRow: Encodable {
        let kind: String
        let psnrMin, psnrMean: Double
    }

    struct KindCount: Encodable {
        let kind: String
        let recovered: Int
        let of: Int
    }

    struct FamilyRow: Encodable {
        let family: String
        let recovered, wrong, of: Int
        /// The median wall time of `RobustMark.detect` over the family's cases.
        let medianMs: Double
        let byKind: [KindCount]
    }

    struct Report: Encodable {
        /// Marked artworks, all kinds together.
        let artworks: Int
        let seed: Int
        let cases: Int
        let amplitude: Float
        let psnrMin, psnrMean: Double
        /// The classic family's rows (empty when it was not chosen).
        let survival: [Row]
        let kinds: [KindRow]
        let families: [FamilyRow]
        let unmarked: Int
        let falsePositives: Int
        let maxUnmarkedScore: Double
        let seconds: Double
    }

    /// One family's counts while the trial runs.
    private struct Tally {
        var recovered: [TrialArtworkKind: Int] = [:]
        var of: [TrialArtworkKind: Int] = [:]
        var wrong = 0
        var milliseconds: [Double] = []
    }

    // MARK: Running

    /// 32 bytes for artwork `index` of `kind` and `purpose`, from the seed.
    func derived(_ purpose: String, _ kind: TrialArtworkKind, _ index: Int) -> [UInt8] {
        Array(SHA256.hash(data: Array("\(purpose) \(kind.rawValue) \(seed) \(index)".utf8)))
    }

    func identifier(_ bytes: [UInt8]) -> UInt64 { bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }

    /// What `RobustMark.detect` finds in `picture` under `key`, and how long it took (ms).
    static func timedDetect(_ picture: PixelBuffer, key: RobustKey) -> (RobustDetection?, Double) {
        let started = ContinuousClock.now
        let found = RobustMark.detect(picture, key: key)
        return (found, milliseconds(ContinuousClock.now - started))
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) * 1e-15
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    func run() async throws {
        let started = ContinuousClock.now
        let kinds = try selectedKinds(), families = try selectedFamilies()
        let classic = RobustTrialFamily.classicTransformations
        let artist = try CouponArtwork()
        let perArtwork = families.reduce(0) { total, family in
            total + (family == .classic ? classic.count : family.isRandom ? cases : 1)
        }
        let progress = ProgressBar(total: kinds.count * artworks * perArtwork + unmarked, label: "trial")

        var psnrs: [TrialArtworkKind: [Double]] = [:]
        var tallies: [RobustTrialFamily: Tally] = [:]
        var classicSurvived = [[TrialArtworkKind: Int]](repeating: [:], count: classic.count)
        var missed: [String] = []
        for kind in kinds {
            for index in 0..<artworks {
                let original = try kind.draw(index: index, seed: seed, artist: artist)
                let key = RobustKey(bytes: derived("key", kind, index))!
                let id = identifier(derived("id", kind, index))
                let marked = RobustMark.embed(original, id: id, key: key, amplitude: amplitude)
                psnrs[kind, default: []].append(original.psnr(to: marked))
                /// Reads one case and counts it; true when it was recovered.
                func read(_ picture: PixelBuffer, _ family: RobustTrialFamily, _ trial: Int, _ name: String) throws -> Bool {
                    let (found, ms) = Self.timedDetect(picture, key: key)
                    let recovered = found?.id == id
                    tallies[family, default: Tally()].of[kind, default: 0] += 1
                    tallies[family, default: Tally()].milliseconds.append(ms)
                    if recovered { tallies[family, default: Tally()].recovered[kind, default: 0] += 1 }
                    if let found, found.id != id { tallies[family, default: Tally()].wrong += 1 }
                    if !recovered {
                        var outcome = found == nil ? "missed" : "WRONG ID"
                        if misses, found == nil, let capacity = RobustMark.capacity(of: picture, key: key, id: id) {
                            outcome += String(
                                format: "; pilots %.1f sd, the data cells could carry %.0f of the %d bits",
                                capacity.pilotScore, capacity.bits, RobustCapacity.neededBits)
                        }
                        missed.append("\(kind.rawValue) #\(index) \(family.rawValue) (\(name)): \(outcome)")
                        if let saveMisses {
                            try FileManager.default.createDirectory(atPath: saveMisses, withIntermediateDirectories: true)
                            let file = "\(kind.rawValue)-\(index)-\(family.rawValue)-\(trial).png"
                            try Files.write(
                                try PNGEncoder().encode(picture), to: (saveMisses as NSString).appendingPathComponent(file))
                        }
                    }
                    progress.advance()
                    return recovered
                }
                for family in families {
                    if family == .classic {
                        for (t, transformation) in classic.enumerated()
                        where try read(try transformation.apply(marked), .classic, t, transformation.name) {
                            classicSurvived[t][kind, default: 0] += 1
                        }
                        continue
                    }
                    for trial in 0..<(family.isRandom ? cases : 1) {
                        var rng = TrialRandom("params \(seed) \(kind.rawValue) \(index) \(family.rawValue) \(trial)")
                        let (picture, name) = try family.apply(to: marked, using: &rng)
                        _ = try read(picture, family, trial, name)
                    }
                }
            }
        }

        // Pictures without the mark under the key they are read with.
        var falsePositives = 0
        var maxScore = 0.0
        for index in 0..<unmarked {
            let kind = kinds[(index / 3) % kinds.count]
            var picture = try kind.draw(index: 10_000 + index, seed: seed, artist: artist)
            switch index % 3 {
            case 0: break
            case 1:
                var rng = TrialRandom("unmarked params \(seed) \(kind.rawValue) \(index)")
                let family = rng.pick(families)
                picture = try family.apply(to: picture, using: &rng).picture
            default:
                let other = RobustKey(bytes: derived("other key", kind, index))!
                picture = RobustMark.embed(
                    picture, id: identifier(derived("other id", kind, index)), key: other, amplitude: amplitude)
            }
            let key = RobustKey(bytes: derived("unmarked key", kind, index))!
            if let found = RobustMark.detect(picture, key: key) {
                falsePositives += 1
                maxScore = max(maxScore, found.score)
            }
            progress.advance()
        }
        progress.finish()

        let all = kinds.flatMap { psnrs[$0] ?? [] }
        let report = Report(
            artworks: all.count, seed: seed, cases: cases, amplitude: amplitude, psnrMin: all.min() ?? 0,
            psnrMean: all.reduce(0, +) / Double(max(1, all.count)),
            survival: families.contains(.classic)
                ? zip(classic, classicSurvived).map {
                    Row(transformation: $0.name, survived: $1.values.reduce(0, +), of: all.count)
                } : [],
            kinds: kinds.map { kind in
                let values = psnrs[kind] ?? []
                return KindRow(
                    kind: kind.rawValue, psnrMin: values.min() ?? 0,
                    psnrMean: values.reduce(0, +) / Double(max(1, values.count)))
            },
            families: families.map { family in
                let tally = tallies[family] ?? Tally()
                return FamilyRow(
                    family: family.rawValue, recovered: tally.recovered.values.reduce(0, +), wrong: tally.wrong,
                    of: tally.of.values.reduce(0, +), medianMs: Self.median(tally.milliseconds),
                    byKind: kinds.map {
                        KindCount(kind: $0.rawValue, recovered: tally.recovered[$0] ?? 0, of: tally.of[$0] ?? 0)
                    })
            },
            unmarked: unmarked, falsePositives: falsePositives, maxUnmarkedScore: maxScore,
            seconds: Self.milliseconds(ContinuousClock.now - started) / 1000)
        if json {
            try Terminal.printJSON(report)
            return
        }
        printText(report, classic: classicSurvived.map { row in kinds.map { row[$0] ?? 0 } }, misses: misses ? missed : nil)
    }

    // MARK: Text

    /// `classic`: for each classic transformation, the artworks recovered of each kind.
    private func printText(_ report: Report, classic: [[Int]], misses: [String]?) {
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        func right(_ text: String, _ width: Int) -> String {
            String(repeating: " ", count: max(0, width - text.count)) + text
        }
        func percent(_ part: Int, _ whole: Int) -> String {
            String(format: "%5.1f%%", whole == 0 ? 0 : 100 * Double(part) / Double(whole))
        }
        print(
            String(
                format: "%d artworks marked (%d per kind) at amplitude %.2f: PSNR %.2f dB mean, %.2f dB lowest",
                report.artworks, artworks, report.amplitude, report.psnrMean, report.psnrMin))
        for kind in report.kinds {
            print("  \(pad(kind.kind, 9)) " + String(format: "PSNR %.2f dB mean, %.2f dB lowest", kind.psnrMean, kind.psnrMin))
        }
        let kindWidth = max(8, (report.kinds.map(\.kind.count).max() ?? 0) + 1)
        for family in report.families {
            print("")
            let summary = RobustTrialFamily(rawValue: family.family)?.summary ?? ""
            print("\(family.family): \(summary)")
            print(String(format: "  median detection %.1f ms", family.medianMs))
            if family.family == RobustTrialFamily.classic.rawValue {
                // Row by row, a column per kind.
                print("  " + pad("", 34) + report.kinds.map { right($0.kind, kindWidth) }.joined() + right("all", 8))
                for (row, counts) in zip(report.survival, classic) {
                    let cells = counts.map { right("\($0)/\(artworks)", kindWidth) }
                    print("  " + pad(row.transformation, 34) + cells.joined() + right("\(row.survived)/\(row.of)", 8))
                }
                print("  " + pad("by kind", 34) + family.byKind.map { right("\($0.recovered)/\($0.of)", kindWidth) }.joined())
            } else {
                for kind in family.byKind {
                    print("  \(pad(kind.kind, 10)) \(right("\(kind.recovered)/\(kind.of)", 9))")
                }
            }
            print(
                "  \(pad("total", 10)) \(right("\(family.recovered)/\(family.of)", 9)) \(percent(family.recovered, family.of))"
                    + (family.wrong > 0 ? ", \(family.wrong) WRONG ID" : ", 0 wrong"))
        }
        print("")
        print(
            "\(report.unmarked) unmarked pictures: \(report.falsePositives) read as marked"
                + (report.falsePositives > 0 ? String(format: " (highest score %.2f)", report.maxUnmarkedScore) : ""))
        if let misses, !misses.isEmpty {
            print("")
            print("Not recovered:")
            for line in misses { print("  \(line)") }
        }
        print(String(format: "%.1f s", report.seconds))
    }
}
