import ArgumentParser
import CouponKit
import Foundation
import ImageCore
import ImageFormats
import PNGCodec
import RobustMark

/// `coupon watermark robust-detect --key KEYFILE IN [--json]`.
struct RobustDetectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "robust-detect", abstract: "Read the robust layer's identifier (exit 3 when there is none).")

    @OptionGroup var key: RobustKeyOption
    @Flag(help: "Print one JSON object: {\"id\": HEX16, \"score\", \"scale\", \"rotation\", \"mirrored\"}.")
    var json = false
    @Argument(help: "The picture (PNG, JPEG or WebP).") var input: String

    func run() async throws {
        let key = try key.load()
        let image = try PictureFiles.readAny(input)
        guard let found = RobustMark.detect(image, key: key) else {
            throw CommandFailure("\(input): no robust mark found", exitCode: ExitStatus.unreadable)
        }
        let report = Report(
            id: CouponRobustIdentity.hex(found.id), score: (found.score * 10).rounded() / 10,
            scale: (found.scale * 1000).rounded() / 1000, rotation: (found.rotation * 10).rounded() / 10,
            mirrored: found.mirrored)
        if json {
            try Terminal.printJSON(report)
        } else {
            let turned = report.rotation == 0 ? "" : ", turned \(report.rotation) degrees"
            print(
                "id: \(report.id)  (pilots \(report.score) sd above chance, tile scale \(report.scale)\(turned)"
                    + (report.mirrored ? ", mirrored)" : ")"))
        }
    }

    /// What `--json` prints.
    struct Report: Encodable {
        let id: String
        let score: Double
        /// The tile's side in the detection frame over an untouched frame's.
        let scale: Double
        /// Degrees the grid was turned.
        let rotation: Double
        let mirrored: Bool
    }
}
