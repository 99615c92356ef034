import Foundation
import ImageCore
import TestSupport
import Testing

/// The files of `fixtures/codecs/` (written by `tools/make_codec_fixtures.py`): coded files,
/// the reference decoders' pixels for each (`cases.tsv`), and the source pictures.
enum CodecFixtures {
    /// One line of `cases.tsv`.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let format: String
        let reference: String
        let command: String

        var testDescription: String { "\(name) (\(command))" }
    }

    static let directory = TestFiles.fixtures.appendingPathComponent("codecs")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func cases(format: String) -> [Case] {
        guard let text = try? String(contentsOf: directory.appendingPathComponent("cases.tsv"), encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == 4, cells[1] == format else { return nil }
            return Case(name: cells[0], format: cells[1], reference: cells[2], command: cells[3])
        }
    }

    /// The 61x37 RGB source picture every coded file was made from.
    static func source() throws -> PixelBuffer { try NetPBM.read(bytes("source.ppm")) }
}
