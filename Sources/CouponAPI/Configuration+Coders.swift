public import Foundation
public import OpenAPIRuntime

/// JSON coders that write and read exactly what the generated code does with the same
/// ``OpenAPIRuntime/Configuration``, for the few bodies a side handles itself (problem
/// documents, stored answers, printed output): one configuration per side, no second one.
extension Configuration {
    public func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        var formatting: JSONEncoder.OutputFormatting = []
        if jsonEncodingOptions.contains(.prettyPrinted) { formatting.insert(.prettyPrinted) }
        if jsonEncodingOptions.contains(.sortedKeys) { formatting.insert(.sortedKeys) }
        if jsonEncodingOptions.contains(.withoutEscapingSlashes) { formatting.insert(.withoutEscapingSlashes) }
        encoder.outputFormatting = formatting
        let transcoder = dateTranscoder
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(try transcoder.encode(date))
        }
        return encoder
    }

    public func jsonDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        let transcoder = dateTranscoder
        decoder.dateDecodingStrategy = .custom { decoder in
            try transcoder.decode(try decoder.singleValueContainer().decode(String.self))
        }
        return decoder
    }
}
