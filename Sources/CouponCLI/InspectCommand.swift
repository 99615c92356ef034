import ArgumentParser
import CouponKit
import Crypto
import ImageCore
import PNGCodec

/// `coupon inspect FILE.png [--json]`: what the file is.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a PNG file is: size, bit depth, colour type, interlace, pixel hash.",
        discussion: """
            sha256_rgba is the SHA-256 of the decoded 8-bit RGBA bytes (row-major, no padding), \
            so two files with the same pixels have the same hash whatever their encoding. \
            A file that is not a valid PNG exits with code 3 and one line on stderr.
            """
    )

    @Argument(help: "The PNG file.")
    var file: String

    @Flag(help: "Print one JSON object: width, height, bit_depth, color_type, interlaced, sha256_rgba.")
    var json = false

    @Option(help: "Refuse images with more pixels than this (checked before decoding).")
    var maxPixels: Int = DecodeLimits.default.maxPixels

    func validate() throws {
        guard maxPixels > 0 else { throw ValidationError("--max-pixels must be positive") }
    }

    struct Report: Encodable {
        let width, height: Int
        let bitDepth: Int
        let colorType: String
        let interlaced: Bool
        let sha256Rgba: String
    }

    func run() async throws {
        let bytes = try Files.read(file)
        let decoded: DecodedPNG
        do throws(PNGError) {
            decoded = try PNGDecoder(limits: DecodeLimits(maxPixels: maxPixels)).decode(bytes)
        } catch {
            throw ContextualFailure(file, error, exitCode: ExitStatus.unreadable)
        }
        let header = decoded.header
        let digest = SHA256.hash(data: decoded.image.bytes).hexString
        let report = Report(
            width: header.width, height: header.height, bitDepth: header.bitDepth,
            colorType: header.colorType.rawValue, interlaced: header.interlaced, sha256Rgba: digest)
        if json {
            try Terminal.printJSON(report)
        } else {
            print("\(file): PNG image, \(header.width) x \(header.height), \(header.bitDepth)-bit \(header.colorType.rawValue)"
                + (header.hasTRNS ? " with tRNS" : "") + (header.interlaced ? ", Adam7 interlaced" : ", not interlaced"))
            print("sha256_rgba: \(digest)")
        }
    }
}
