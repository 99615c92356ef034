import ArgumentParser
import CouponKit
import CouponReader
import Foundation
import ImageFormats
import PNGCodec

/// `coupon reveal FILE.png [--reveal-key FILE] [--issuer-pub FILE] [--out REVEALED.png] [--ascii] [--json]`.
struct RevealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reveal",
        abstract: "Reveal a coupon's hidden discount and check that it is genuine and unedited.",
        discussion: """
            Without key flags it uses the keys saved by `coupon join`. A copy of a coupon \
            (a JPEG, WebP, a resized or cropped picture, a screenshot) has lost the watermark; \
            with a saved profile (or --server) the server is then asked to identify it by its \
            robust layer, and the output says so (with --json, the server's identify answer). \
            Exit codes: 3 not a coupon (or no \
            watermark, and no server could identify it), 4 wrong reveal key or unknown epoch, \
            5 bad signature or unknown issuer, 6 artwork edited (the discount is still printed).
            """
    )

    @Argument(help: "The coupon: the PNG as minted, or a copy of it (then the server identifies it).") var file: String
    @OptionGroup var keys: RevealKeyOptions
    @Option(help: "Write the coupon with the discount drawn on it and edited areas outlined.") var out: String?
    @Option(help: "Permission bits of the --out file, octal (owner only by default).") var mode = FileMode.owner
    @Flag(help: "Draw the coupon in the terminal.") var ascii = false
    @Flag(help: "Print one JSON object.") var json = false
    @Option(help: "For a copy: the product the coupon is for, whose merchant's robust keys read it (a server with many merchants needs it).")
    var product: String?
    @OptionGroup var server: ServerOptions

    func run() async throws {
        let ring = try keys.keyRing()
        let bytes = try Files.read(file)
        // The same reader as the server's: the fragile layer first; a picture without it is a
        // copy, whose robust layer only the server's keys read.
        let reading: CouponReading
        do throws(CouponFailure) {
            reading = try CouponReader().read(bytes, keys: ring, robustKeys: nil)
        } catch {
            throw ContextualFailure(file, error)
        }
        let coupon: RevealedCoupon
        switch reading {
        case .original(let revealed):
            coupon = revealed
        case .unmarked(let unmarked):
            try await identifyCopy(bytes, format: unmarked.format, because: unmarked.fragileFailure)
            return
        case .copy:
            return  // not searched without robust keys
        }
        let report = RevealReport(coupon)
        if let out {
            try Files.write(try RevealedPicture.png(of: coupon), to: out, mode: mode)
        }
        if json {
            try Terminal.printJSON(report)
        } else {
            if ascii { Swift.print(RevealedPicture.preview(of: coupon), terminator: "") }
            report.lines.forEach { print($0) }
        }
        if coupon.tampered { throw ExitStatus.tampered }
    }

    /// A picture without the fragile layer: a copy, or no coupon at all. With a server (a
    /// saved session, or `--server` and a saved token) it is asked which coupon the picture
    /// is; without one, the fragile layer's failure stands, after a hint.
    private func identifyCopy(_ bytes: [UInt8], format: ImageFormat, because failure: CouponFailure) async throws {
        let profile = Profile()
        let saved = try profile.savedSession()
        guard server.server != nil || saved != nil else {
            Terminal.error(
                "if \(file) is a copy of a coupon (a JPEG, a screenshot), log in (coupon join) "
                    + "and the server can identify it by its robust layer")
            throw ContextualFailure(file, failure)
        }
        let kind = format == .png ? "" : " (a \(format == .jpeg ? "JPEG" : "WebP") copy)"
        Terminal.error("\(file)\(kind): the original's watermark is gone; asking the server to identify the picture")
        let identified = try await IdentifyCommand.identify(bytes, productId: product, client: try server.client(profile: profile))
        if out != nil { Terminal.error("no revealed picture written: a copy carries no watermark to draw from") }
        try ClientWireFormat.show(identified, json: json) { IdentifyCommand.lines(of: $0).forEach { print($0) } }
    }
}

/// `coupon verify FILE.png`: the verdict and exit code only.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a coupon and print only the verdict; the exit code says the rest.",
        discussion: "Same keys as reveal. Exit codes: 0 genuine, 3 unreadable, 4 wrong key, 5 bad signature, 6 tampered."
    )

    @Argument(help: "The coupon PNG.") var file: String
    @OptionGroup var keys: RevealKeyOptions

    func run() async throws {
        let ring = try keys.keyRing()
        let bytes = try Files.read(file)
        do {
            guard case .original(let coupon) = try CouponReader().read(bytes, keys: ring, robustKeys: nil) else {
                throw CouponFailure.unreadable(CouponReader.noMark)
            }
            if coupon.tampered {
                print("\(file): TAMPERED (artwork edited)")
                throw ExitStatus.tampered
            }
            print("\(file): genuine")
        } catch let failure as CouponFailure {
            print("\(file): \(failure.reasonCode.rawValue)")
            throw failure.exitCode
        }
    }
}
