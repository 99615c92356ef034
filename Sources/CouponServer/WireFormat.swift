import CouponAPI
import Foundation
import OpenAPIRuntime

/// The server's one JSON configuration. The generated server encodes and decodes every
/// body with `configuration`; the few bodies written outside it (problem+json, the
/// settled order stored for idempotent replays) use `encoder` and `decoder`, built
/// from the same options, so every byte the server sends has one format: compact,
/// keys sorted (a replayed order is byte for byte the first answer), slashes
/// unescaped, dates ISO 8601.
enum WireFormat {
    static let configuration = Configuration(
        dateTranscoder: .iso8601, jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes])

    static let encoder = configuration.jsonEncoder()

    static let decoder = configuration.jsonDecoder()
}
