import ArgumentParser
import Foundation
import ImageCore
import PNGCodec
import Watermark

/// `coupon watermark check --key KEYFILE IN.png --json`.
struct WatermarkCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check the payload and list the blocks edited since marking.")

    @OptionGroup var key: WatermarkKeyOption
    @Argument(help: "The marked PNG.") var input: String
    @Flag(help: "Print one JSON object.") var json = false

    struct Report: Encodable {
        let payloadBytes: Int
        let correctedSymbols: Int
        let tamperedBlocks: [[Int]]
        let tamperedFraction: Double
    }

    func run() async throws {
        let key = try key.load()
        let image = try PictureFiles.readPNG(input)
        let result: (payload: ExtractedPayload, tamper: TamperReport)
        do {
            result = try Watermark.verify(image, key: key)
        } catch {
            throw WatermarkFailure(file: input, error: error)
        }
        let report = Report(
            payloadBytes: result.payload.payload.count, correctedSymbols: result.payload.correctedSymbols,
            tamperedBlocks: result.tamper.tamperedBlocks.map(\.array),
            tamperedFraction: result.tamper.tamperedFraction)
        if json {
            try Terminal.printJSON(report)
        } else {
            print("payload: \(report.payloadBytes) bytes, \(report.correctedSymbols) symbols corrected")
            if result.tamper.isIntact {
                print("picture: intact (\(result.tamper.blockCount) blocks checked)")
            } else {
                print("picture: \(report.tamperedBlocks.count) of \(result.tamper.blockCount) blocks edited: "
                    + result.tamper.tamperedBlocks.map(\.description).joined(separator: " "))
            }
        }
        if !result.tamper.isIntact { throw ExitStatus.tampered }
    }
}
