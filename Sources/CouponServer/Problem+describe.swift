import Foundation
import OpenAPIRuntime

extension Problem {
    /// The `detail` of a request that does not decode: which field is wrong and how,
    /// never the values themselves (they may hold secrets).
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else {
            // The runtime's own errors (a missing required header, an unexpected
            // Content-Type) describe themselves without request data.
            return "the request does not match the API: \(error)"
        }
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "the body" : "`" + keys.map(\.stringValue).joined(separator: ".") + "`"
        }
        switch error {
        case .typeMismatch(let type, let context): return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context.codingPath)): expected \(type), found null"
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is required"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty && context.underlyingError != nil { return "the body is not valid JSON" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "the body is not valid JSON"
        }
    }
}
