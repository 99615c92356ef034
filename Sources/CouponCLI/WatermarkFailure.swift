import ArgumentParser
import Watermark

/// A watermark-layer error met on one file by `coupon watermark embed|extract|check`,
/// kept as itself (``error``) until the edge prints it with the file's name.
/// Never holds key material: the key hint is the public 32-bit header value.
struct WatermarkFailure: CommandLineReportable, CustomStringConvertible {
    let file: String
    let error: WatermarkError

    /// 3 no watermark or a damaged one, 4 another key, 1 a picture or key that cannot
    /// carry this payload.
    var exitCode: ExitCode {
        switch error {
        case .noWatermark, .payloadUnrecoverable, .unsupportedVersion: ExitStatus.unreadable
        case .wrongKey: ExitStatus.wrongKey
        case .payloadTooLarge, .imageTooSmall, .invalidKeyLength: ExitStatus.usage
        }
    }

    var description: String {
        switch error {
        case .noWatermark:
            "\(file): no watermark found"
        case .wrongKey(let hint):
            "\(file): marked with another key (key hint \(hint))"
        case .payloadUnrecoverable:
            "\(file): watermark found but the payload is damaged beyond repair"
        case .unsupportedVersion(let version):
            "\(file): watermark format version \(version) is not supported"
        case .payloadTooLarge(let needed, let available):
            "payload of \(needed) bytes does not fit \(file): capacity is \(available) bytes"
        case .imageTooSmall(let width, let height):
            "\(file) (\(width)x\(height)) is too small to carry a watermark"
        case .invalidKeyLength(let length):
            "a watermark key is 32 bytes, not \(length)"
        }
    }
}
