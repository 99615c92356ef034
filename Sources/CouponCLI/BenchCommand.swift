import ArgumentParser
import Foundation

/// `coupon bench [--json] [--width W] [--height H] [--payload N] [--seconds S]`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the watermark core against memcpy, its scalar reference and PNG coding.",
        discussion: """
            Runs everything in one process on one synthetic coupon-like image and prints \
            medians: GB/s over the bytes each kernel reads (SIMD and scalar reference), \
            mark (digest + embed) and verify (extract + digest check) in microseconds, and \
            PNG encode/decode at default settings (zlib 6, adaptive filters) in milliseconds.
            """
    )

    @Option(help: "Image width.") var width: Int = 800
    @Option(help: "Image height.") var height: Int = 400
    @Option(help: "Payload bytes (clamped to the capacity).") var payload: Int = 256
    @Option(help: "Approximate seconds for the watermark measurements.") var seconds: Double = 2
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard (64...16_384).contains(width), (64...16_384).contains(height) else {
            throw ValidationError("--width and --height must be 64 to 16384")
        }
        guard payload >= 1 else { throw ValidationError("--payload must be at least 1") }
        guard seconds > 0, seconds <= 600 else { throw ValidationError("--seconds must be in (0, 600]") }
    }

    func run() async throws {
        if !json { Terminal.note("measuring \(width)x\(height) for about \(Int(seconds.rounded(.up))) s …") }
        let report = try WatermarkBenchmark.run(width: width, height: height, payloadBytes: payload, seconds: seconds)
        if json {
            try Terminal.printJSON(report)
            return
        }
        print("image \(report.width)x\(report.height) RGB, payload \(report.payloadBytes) bytes; medians")
        print("memcpy            \(f(report.memcpyGbps)) GB/s")
        for kernel in report.kernels {
            print("\(kernel.name.padding(toLength: 16, withPad: " ", startingAt: 0))  SIMD \(f(kernel.simdGbps)) GB/s"
                + " (\(f(kernel.simdGbps / report.memcpyGbps))x memcpy), scalar \(f(kernel.scalarGbps)) GB/s")
        }
        print("mark              \(f(report.markUs)) µs   verify \(f(report.verifyUs)) µs")
        let share = (report.markUs + report.verifyUs) / 1000 / (report.pngEncodeMs + report.pngDecodeMs)
        print("png encode        \(f(report.pngEncodeMs)) ms   decode \(f(report.pngDecodeMs)) ms   "
            + "(mark+verify = \(f(share * 100))% of encode+decode)")
        let robustShare = (report.robustEmbedUs + report.robustDetectUs) / 1000 / (report.pngEncodeMs + report.pngDecodeMs)
        print("robust embed      \(f(report.robustEmbedUs)) µs   detect \(f(report.robustDetectUs)) µs   "
            + "(\(f(robustShare * 100))% of encode+decode)")
        print("robust detect     pasted in a canvas \(f(report.robustDetectPastedUs)) µs   "
            + "unmarked \(f(report.robustDetectUnmarkedUs)) µs")
    }

    private func f(_ value: Double) -> String { String(format: "%.2f", value) }
}
