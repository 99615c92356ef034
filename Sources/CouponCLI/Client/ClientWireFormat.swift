import CouponAPI
import Foundation
import OpenAPIRuntime

/// The client's one JSON configuration: the generated client reads and writes bodies
/// with ``configuration``, and the same options (sorted keys, unescaped slashes,
/// ISO 8601 dates) print `--json` output and read problem documents.
enum ClientWireFormat {
    static let configuration = Configuration(
        dateTranscoder: .iso8601, jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes])

    static let encoder = configuration.jsonEncoder()

    static let decoder = configuration.jsonDecoder()

    /// One line of JSON on stdout: the server's document as the API defines it.
    static func printJSON(_ value: some Encodable) throws(CommandFailure) {
        do {
            print(String(decoding: try encoder.encode(value), as: UTF8.self))
        } catch {
            throw CommandFailure("cannot encode the answer: \(error)", exitCode: ExitStatus.server)
        }
    }
}
