import ArgumentParser
import ImageCore
import PNGCodec

/// `coupon png recode IN.png OUT.png [--level L] [--filter F]`.
struct PNGRecodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recode",
        abstract: "Decode a PNG and write it again as 8-bit RGB(A) with the given zlib level and filter."
    )

    @Argument(help: "The PNG to read.") var input: String
    @Argument(help: "The PNG to write.") var output: String
    @OptionGroup var encoding: EncodingOptions

    func run() async throws {
        let bytes = try Files.read(input)
        let image: PixelBuffer
        do throws(PNGError) {
            let decoded = try PNGDecoder().decode(bytes)
            image = decoded.image.toRGB() ?? decoded.image
        } catch {
            throw ContextualFailure(input, error, exitCode: ExitStatus.unreadable)
        }
        try Files.write(try encoding.encoder.encode(image), to: output)
    }
}
