import ArgumentParser
import Foundation
import ImageCore
import PNGCodec
import Watermark

/// `coupon watermark …`: the raw watermark layer, below coupons (any payload, one key).
struct WatermarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watermark",
        abstract: "The raw watermark layer: hide any bytes in a PNG under a 32-byte key.",
        discussion: """
            Exit codes: 3 no watermark found, 4 a watermark made with another key, \
            6 payload intact but some blocks of the picture were edited. The robust-* commands \
            carry a 64-bit identifier through JPEG, WebP, resizing and cropping (the fragile \
            layer above proves the artwork untouched; this one survives its travels).
            """,
        subcommands: [
            RawKeygenCommand<FragileKeygen>.self, WatermarkEmbedCommand.self, WatermarkExtractCommand.self,
            WatermarkCheckCommand.self, RawKeygenCommand<RobustKeygen>.self, RobustEmbedCommand.self, RobustDetectCommand.self,
            RobustTrialCommand.self,
        ]
    )
}

/// `--key KEYFILE` and reading the image, shared by embed, extract and check.
struct WatermarkKeyOption: ParsableArguments {
    @Option(help: "The key file (32 random bytes, base64; coupon watermark keygen).")
    var key: String

    func load() throws(CommandFailure) -> WatermarkKey {
        let bytes = try RawKeyFile.read(key, kind: "watermark key")
        // 32 bytes always make a key; were that ever to change, the file is still what is wrong.
        guard let key = try? WatermarkKey(bytes: bytes) else {
            throw CommandFailure("\(self.key) is not a watermark key (base64 of 32 bytes)", exitCode: ExitStatus.usage)
        }
        return key
    }
}

/// `coupon watermark embed --key KEYFILE --payload FILE IN.png OUT.png`.
struct WatermarkEmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed", abstract: "Hide a payload file in a PNG.")

    @OptionGroup var key: WatermarkKeyOption
    @Option(help: "The bytes to hide.") var payload: String
    @Option(help: "A 32-bit number stored in the public header (e.g. a key epoch).") var keyHint: UInt32 = 0
    @Argument(help: "The picture to mark.") var input: String
    @Argument(help: "Where to write the marked PNG.") var output: String
    @OptionGroup var encoding: EncodingOptions

    func run() async throws {
        let key = try key.load()
        let bytes = try Files.read(payload)
        var image = try PictureFiles.readPNG(input)
        do {
            try Watermark.embed(bytes, into: &image, key: key, keyHint: keyHint)
        } catch {
            throw WatermarkFailure(file: input, error: error)
        }
        try PictureFiles.writePNG(image, to: output, encoding: encoding)
        Terminal.note("embedded \(bytes.count) bytes (capacity \(Watermark.capacity(width: image.width, height: image.height, format: image.format)))")
    }
}

/// `coupon watermark extract --key KEYFILE IN.png [--out FILE]`.
struct WatermarkExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract", abstract: "Recover the hidden payload (to --out, or to stdout).")

    @OptionGroup var key: WatermarkKeyOption
    @Argument(help: "The marked PNG.") var input: String
    @Option(help: "Write the payload here instead of stdout.") var out: String?

    func run() async throws {
        let key = try key.load()
        let image = try PictureFiles.readPNG(input)
        let extracted: ExtractedPayload
        do {
            extracted = try Watermark.extract(from: image, key: key)
        } catch {
            throw WatermarkFailure(file: input, error: error)
        }
        if let out {
            try Files.write(extracted.payload, to: out)
        } else {
            FileHandle.standardOutput.write(Data(extracted.payload))
        }
        Terminal.note(
            "payload \(extracted.payload.count) bytes; corrected \(extracted.correctedSymbols) symbols "
                + "(header \(extracted.header.correctedSymbols))")
    }
}

/// `coupon watermark check --key KEYFILE IN.png --json`.
struct WatermarkCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check the payload and list the blocks edited since marking.")

    @OptionGroup var key: WatermarkKeyOption
    @Argument(help: "The marked PNG.") var input: String
    @Flag(help: "Print one JSON object.") var json = false

    struct Report: Encodable {
        let payloadBytes: Int
        let correctedSymbols: Int
        let tamperedBlocks: [[Int]]
        let tamperedFraction: Double
    }

    func run() async throws {
        let key = try key.load()
        let image = try PictureFiles.readPNG(input)
        let result: (payload: ExtractedPayload, tamper: TamperReport)
        do {
            result = try Watermark.verify(image, key: key)
        } catch {
            throw WatermarkFailure(file: input, error: error)
        }
        let report = Report(
            payloadBytes: result.payload.payload.count, correctedSymbols: result.payload.correctedSymbols,
            tamperedBlocks: result.tamper.tamperedBlocks.map(\.array),
            tamperedFraction: result.tamper.tamperedFraction)
        if json {
            try Terminal.printJSON(report)
        } else {
            print("payload: \(report.payloadBytes) bytes, \(report.correctedSymbols) symbols corrected")
            if result.tamper.isIntact {
                print("picture: intact (\(result.tamper.blockCount) blocks checked)")
            } else {
                print("picture: \(report.tamperedBlocks.count) of \(result.tamper.blockCount) blocks edited: "
                    + result.tamper.tamperedBlocks.map(\.description).joined(separator: " "))
            }
        }
        if !result.tamper.isIntact { throw ExitStatus.tampered }
    }
}
