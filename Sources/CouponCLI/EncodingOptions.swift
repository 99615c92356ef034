import ArgumentParser
import PNGCodec

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
