import ArgumentParser
import CouponKit
import CouponMinting
import Foundation
import ImageCore
import PNGCodec

/// `coupon mint --terms FILE --out DIR --issuer-key FILE [--reveal-key FILE] [--jobs N] [--art FILE.png] [--compression 0-9]`.
struct MintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mint",
        abstract: "Mint coupons in batch: one watermarked PNG per row of a terms file.",
        discussion: """
            FILE is a JSON array of objects or CSV with a header row, with fields product_id, \
            title, kind (rate|amount), value (basis points, or minor units), currency, \
            valid_from, valid_until (ISO 8601), and optional serial, max_uses_total, \
            max_uses_per_member (default 1; 0 = unlimited). Writes DIR/<serial>.png per row \
            on all cores. A bad row is reported with its row number and stops nothing else; \
            the exit code is then 1. The last line is `minted N coupons in S s (R/s)`.
            Without --reveal-key the newest reveal key of the saved profile is used \
            (coupon merchant login). Likewise without --robust-key the profile's robust-layer \
            key (your own current one, saved by coupon merchant login) is used when it holds one, so that copies of the coupons (JPEG, WebP, \
            resized, cropped, screenshots) still name them; --no-robust-layer mints without it.
            """
    )

    @Option(help: "Terms file (JSON array or CSV).") var terms: String
    @Option(help: "Output directory (created if missing).") var out: String
    @Option(help: "The issuer's private key (issuer.key from coupon keys init).") var issuerKey: String
    @Option(help: "The reveal key to seal with (reveal.key or a Keys document: newest epoch).") var revealKey: String?
    @Option(help: "Parallel workers (default: all cores).") var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Your own background artwork (PNG), scaled to the coupon.") var art: String?
    @Option(
        help: ArgumentHelp(
            "A robust-layer key (coupon watermark robust-keygen): each coupon also carries an identifier that survives JPEG, WebP, resizing and cropping.",
            discussion: "The identifier is HMAC-SHA256 under this key over the issuer id and the serial, so only the key's holder can make it; robust-detect reads it."))
    var robustKey: String?
    @Flag(help: "Mint without the robust layer, even when the profile holds a robust key.") var noRobustLayer = false
    @Option(help: "zlib compression level of the coupons, 0-9.") var compression: Int = 6
    @Option(help: "Permission bits of the coupon files, octal (a coupon is a bearer instrument: owner only by default).")
    var mode = FileMode.owner
    @Option(help: "PNG row filter (none is smallest and fastest for watermarked coupons).")
    var filter: PNGFilter = CouponMinter.defaultEncoder.filter

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard (0...9).contains(compression) else { throw ValidationError("--compression must be 0 to 9") }
        guard !(noRobustLayer && robustKey != nil) else {
            throw ValidationError("--robust-key and --no-robust-layer contradict each other")
        }
    }

    func run() async throws {
        let started = ContinuousClock.now
        let minter = try makeMinter()
        let text = String(decoding: try Files.read(terms), as: UTF8.self)
        let rows: [Result<TermsFile.Row, TermsFile.RowError>]
        do throws(TermsFile.FileError) {
            rows = try TermsFile.parse(text)
        } catch {
            throw ContextualFailure(terms, error, exitCode: ExitStatus.usage)
        }
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure("cannot create \(out): \(Files.reason(error))", exitCode: ExitStatus.usage)
        }

        var failures = 0
        for case .failure(let error) in rows {
            Terminal.error("\(terms): \(error)")
            failures += 1
        }
        let good = rows.compactMap { try? $0.get() }
        let progress = ProgressBar(total: good.count, label: "minting")
        let outcomes = await mintAll(good, minter: minter, progress: progress)
        progress.finish()
        var minted = 0
        for (row, outcome) in outcomes {
            switch outcome {
            case .success: minted += 1
            case .failure(let reason):
                Terminal.error("\(terms): row \(row.number) (\(row.terms.serial)): \(reason.message)")
                failures += 1
            }
        }
        let seconds = Stopwatch.milliseconds(ContinuousClock.now - started) / 1000
        let rate = seconds > 0 ? Double(minted) / seconds : 0
        print("minted \(minted) coupons in \(format(seconds, 2)) s (\(format(rate, 1))/s)")
        if failures > 0 { throw ExitStatus.usage }
    }

    enum Outcome: Sendable {
        case success
        /// The row was not minted (``CouponMinter/MintError``) or its file not written.
        case failure(any CommandLineReportable & Sendable)
    }

    /// Mints every row with `jobs` workers; each worker renders with its own resources.
    func mintAll(_ rows: [TermsFile.Row], minter: CouponMinter, progress: ProgressBar) async -> [(TermsFile.Row, Outcome)] {
        let (directory, mode) = (out, mode)
        return await withTaskGroup(of: [(TermsFile.Row, Outcome)].self) { group in
            let workers = min(jobs, max(rows.count, 1))
            for worker in 0..<workers {
                let share = stride(from: worker, to: rows.count, by: workers).map { rows[$0] }
                group.addTask {
                    var results: [(TermsFile.Row, Outcome)] = []
                    let session = minter.session()
                    for row in share {
                        results.append((row, Self.mint(row, with: session, into: directory, mode: mode)))
                        progress.advance()
                    }
                    return results
                }
            }
            var all: [(TermsFile.Row, Outcome)] = []
            for await part in group { all += part }
            return all.sorted { $0.0.number < $1.0.number }
        }
    }

    /// Throws ``KeyFiles/Failure`` for a key file that does not hold a key, a
    /// ``ContextualFailure`` for `--art` that is not a PNG, and ``CommandFailure`` otherwise.
    /// Mints one row and writes `<directory>/<serial>.png`; the failure stays typed.
    static func mint(_ row: TermsFile.Row, with session: CouponMinter.Session, into directory: String, mode: FileMode)
        -> Outcome
    {
        let coupon: CouponMinter.Minted
        do throws(CouponMinter.MintError) {
            coupon = try session.mint(row.terms, productName: row.productName)
        } catch {
            return .failure(error)
        }
        do throws(CommandFailure) {
            try Files.write(
                coupon.png, to: URL(fileURLWithPath: directory, isDirectory: true)
                    .appendingPathComponent(coupon.terms.serial + ".png").path, mode: mode)
        } catch {
            return .failure(error)
        }
        return .success
    }

    func makeMinter() throws -> CouponMinter {
        let issuer = try KeyFiles.readIssuerKey(at: issuerKey)
        let reveal: RevealKey
        if let revealKey {
            guard let newest = try KeyFiles.readRevealKeys(at: revealKey).max(by: { $0.epoch < $1.epoch }) else {
                throw CommandFailure("\(revealKey) holds no reveal key", exitCode: ExitStatus.usage)
            }
            reveal = newest
        } else {
            let profile = Profile()
            guard let newest = try profile.savedKeys()?.newestRevealKey else {
                throw CommandFailure(
                    "no reveal key: pass --reveal-key FILE or run coupon merchant login first", exitCode: ExitStatus.usage)
            }
            reveal = newest
        }
        var background: PixelBuffer?
        if let art {
            let bytes = try Files.read(art)
            do throws(PNGError) {
                background = try PNGDecoder().decode(bytes).image
            } catch {
                throw ContextualFailure(art, error, exitCode: ExitStatus.usage)
            }
        }
        var minter = CouponMinter(
            issuer: issuer, revealKey: reveal, encoder: PNGEncoder(level: compression, filter: filter),
            background: background)
        if let robustKey {
            minter.robustKey = try RobustKeyOption.load(robustKey)
        } else if !noRobustLayer {
            minter.robustKey = try Profile().savedRobustKey()
        }
        return minter
    }

    private func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
