import ArgumentParser
import CouponKit
import Foundation
import ImageCore
import ImageFormats
import PNGCodec
import RobustMark

/// `--key KEYFILE` for the robust layer's commands.
struct RobustKeyOption: ParsableArguments {
    @Option(help: "The robust key file (32 random bytes, base64; coupon watermark robust-keygen).")
    var key: String

    func load() throws(CommandFailure) -> RobustKey { try Self.load(key) }

    static func load(_ path: String) throws(CommandFailure) -> RobustKey {
        RobustKey(bytes: try RawKeyFile.read(path, kind: "robust key"))!  // 32 bytes always make a key
    }
}

/// `coupon watermark robust-embed --key KEYFILE --id HEX16 IN OUT.png`.
struct RobustEmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "robust-embed",
        abstract: "Mark a picture with a 64-bit identifier that survives JPEG, WebP, resizing and cropping.",
        discussion: "The output is always PNG; mark before any fragile (coupon watermark embed) layer.")

    @OptionGroup var key: RobustKeyOption
    @Option(help: "The identifier: 16 hexadecimal digits.") var id: String
    @Argument(help: "The picture to mark (PNG, JPEG or WebP).") var input: String
    @Argument(help: "Where to write the marked PNG.") var output: String
    @OptionGroup var encoding: EncodingOptions

    func validate() throws {
        guard RobustIdentifier.parse(id) != nil else { throw ValidationError("--id must be 16 hexadecimal digits") }
    }

    func run() async throws {
        let key = try key.load()
        let image = try PictureFiles.readAny(input)
        let identifier = RobustIdentifier.parse(id)!  // validate() checked it
        let marked = RobustMark.embed(image, id: identifier, key: key)
        try PictureFiles.writePNG(marked, to: output, encoding: encoding)
        Terminal.note("marked \(CouponRobustIdentity.hex(identifier)) (\(image.width)x\(image.height))")
    }
}

/// `coupon watermark robust-detect --key KEYFILE IN [--json]`.
struct RobustDetectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "robust-detect", abstract: "Read the robust layer's identifier (exit 3 when there is none).")

    @OptionGroup var key: RobustKeyOption
    @Argument(help: "The picture (PNG, JPEG or WebP).") var input: String
    @Flag(help: "Print one JSON object: {\"id\": HEX16, \"score\", \"scale\"}.") var json = false

    struct Report: Encodable {
        let id: String
        let score: Double
        let scale: Double
    }

    func run() async throws {
        let key = try key.load()
        let image = try PictureFiles.readAny(input)
        guard let found = RobustMark.detect(image, key: key) else {
            throw CommandFailure("\(input): no robust mark found", exitCode: ExitStatus.unreadable)
        }
        let report = Report(
            id: CouponRobustIdentity.hex(found.id), score: (found.score * 10).rounded() / 10,
            scale: (found.scale * 1000).rounded() / 1000)
        if json {
            try Terminal.printJSON(report)
        } else {
            print("id: \(report.id)  (pilots \(report.score) sd above chance, crop scale \(report.scale))")
        }
    }
}

/// The identifier as users type it: exactly 16 hexadecimal digits.
enum RobustIdentifier {
    static func parse(_ text: String) -> UInt64? {
        guard text.count == 16, text.allSatisfy(\.isHexDigit) else { return nil }
        return UInt64(text, radix: 16)
    }
}
