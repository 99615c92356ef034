import ArgumentParser
import ImageCore
import PNGCodec

/// `coupon png bench FILE.png`: median decode and encode times of one file, in one process.
struct PNGBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time decoding and encoding one PNG (medians of several runs).",
        discussion: """
            Decoding produces RGB when the image has no transparency, RGBA otherwise; \
            encoding writes those pixels back at the given level and filter. \
            tools/bench-png uses this to compare with other codecs.
            """
    )

    @Argument(help: "The PNG file.") var file: String
    @OptionGroup var encoding: EncodingOptions
    @Option(help: "Runs of each operation; the median is reported.") var runs: Int = 15
    @Flag(help: "Print one JSON object.") var json = false

    struct Report: Encodable {
        let width, height: Int
        let decodeMs, encodeMs: Double
        let encodedBytes: Int
        let level: Int
        let filter: String
        let runs: Int
    }

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
    }

    func run() async throws {
        let bytes = try Files.read(file)
        let decoder = PNGDecoder()
        let format: PixelFormat
        do throws(PNGError) {
            format = try decoder.header(of: bytes).mayHaveTransparency ? .rgba8 : .rgb8
        } catch {
            throw ContextualFailure(file, error, exitCode: ExitStatus.unreadable)
        }
        var image: PixelBuffer?
        let decodeMs = try Stopwatch.medianMilliseconds(runs: runs) {
            image = try decoder.decode(bytes, as: format).image
        }
        guard let image else { return }
        var encodedBytes = 0
        let encoder = encoding.encoder
        let encodeMs = try Stopwatch.medianMilliseconds(runs: runs) {
            encodedBytes = try encoder.encode(image).count
        }
        let report = Report(
            width: image.width, height: image.height, decodeMs: decodeMs, encodeMs: encodeMs,
            encodedBytes: encodedBytes, level: encoding.level, filter: encoding.filter.rawValue, runs: runs)
        if json {
            try Terminal.printJSON(report)
        } else {
            print("\(file): \(image.width)x\(image.height), median of \(runs) runs")
            print("decode \(Stopwatch.format(decodeMs)) ms, encode \(Stopwatch.format(encodeMs)) ms "
                + "(level \(encoding.level), \(encoding.filter.rawValue)) -> \(encodedBytes) bytes")
        }
    }
}
