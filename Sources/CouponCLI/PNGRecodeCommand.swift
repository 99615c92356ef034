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
        try await reportingFailures {
            let bytes = try Files.read(input)
            let image: PixelBuffer
            do {
                let decoded = try PNGDecoder().decode(bytes)
                image = decoded.image.toRGB() ?? decoded.image
            } catch {
                throw CommandFailure("\(input): \(error)", exitCode: ExitStatus.unreadable)
            }
            let encoded: [UInt8]
            do {
                encoded = try encoding.encoder.encode(image)
            } catch {
                throw CommandFailure("\(error)", exitCode: ExitStatus.usage)
            }
            try Files.write(encoded, to: output)
        }
    }
}

/// `--level` and `--filter`, shared by the commands that write PNGs.
struct EncodingOptions: ParsableArguments {
    @Option(help: "zlib compression level, 0 (none) to 9 (smallest).")
    var level: Int = 6

    @Option(help: "Row filter: \(PNGFilter.allCases.map(\.rawValue).joined(separator: ", ")).")
    var filter: PNGFilter = .adaptive

    @Option(help: "PNG writer: libdeflate (fast, default) or libpng (reference).")
    var backend: PNGEncoder.Backend = .libdeflate

    func validate() throws {
        guard (0...9).contains(level) else { throw ValidationError("--level must be 0 to 9, not \(level)") }
    }

    var encoder: PNGEncoder { PNGEncoder(level: level, filter: filter, backend: backend) }
}

extension PNGFilter: ExpressibleByArgument {}
extension PNGEncoder.Backend: ExpressibleByArgument {}
