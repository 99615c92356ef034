import ArgumentParser
import CouponKit
import Foundation
import ImageCore
import ImageFormats
import PNGCodec
import RobustMark

/// `coupon watermark robust-embed --key KEYFILE --id HEX16 IN OUT.png`.
struct RobustEmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "robust-embed",
        abstract: "Mark a picture with a 64-bit identifier that survives JPEG, WebP, resizing and cropping.",
        discussion: "The output is always PNG; mark before any fragile (coupon watermark embed) layer.")

    @OptionGroup var key: RobustKeyOption
    @Option(help: "The identifier: 16 hexadecimal digits.") var id: String
    @Option(help: "Levels of luma at full field on flat paper (stronger survives more, at lower PSNR).")
    var amplitude: Float = RobustMark.defaultAmplitude
    @Argument(help: "The picture to mark (PNG, JPEG or WebP).") var input: String
    @Argument(help: "Where to write the marked PNG.") var output: String
    @OptionGroup var encoding: EncodingOptions

    func validate() throws {
        guard RobustIdentifier.parse(id) != nil else { throw ValidationError("--id must be 16 hexadecimal digits") }
        guard amplitude > 0, amplitude <= 16 else { throw ValidationError("--amplitude must be above 0 and at most 16") }
    }

    func run() async throws {
        let key = try key.load()
        let image = try PictureFiles.readAny(input)
        let identifier = RobustIdentifier.parse(id)!  // validate() checked it
        let marked = RobustMark.embed(image, id: identifier, key: key, amplitude: amplitude)
        try PictureFiles.writePNG(marked, to: output, encoding: encoding)
        Terminal.note("marked \(CouponRobustIdentity.hex(identifier)) (\(image.width)x\(image.height))")
    }
}
