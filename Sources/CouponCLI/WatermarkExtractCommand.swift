import ArgumentParser
import Foundation
import ImageCore
import PNGCodec
import Watermark

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
