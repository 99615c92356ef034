import ArgumentParser
import Foundation
import ImageCore
import PNGCodec
import Watermark

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
