import ArgumentParser

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
        try PictureFiles.writePNG(try PictureFiles.readPNG(input), to: output, encoding: encoding)
    }
}
