#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
public import Logging

/// `serve --log-format json`: every log entry as one JSON object on one line of standard
/// error, for log collectors: `timestamp` (UTC, ISO 8601 with milliseconds), `level`,
/// `label`, `message`, then the entry's metadata flattened to top-level keys (sorted; a
/// nested dictionary's keys joined with dots, `a.b`; a list as a JSON array of strings).
/// A metadata key that would overwrite one of those four fields is written as
/// `metadata.KEY`.
///
/// Every string is escaped (quote, backslash, every control character), so a message or
/// value holding a newline still gives one line, and a line is written with one `write`
/// call, so lines of concurrent requests do not interleave. What is logged is the same
/// as in text: never headers or bodies.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    private let label: String
    private let write: @Sendable (String) -> Void

    /// Writes to standard error.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.init(label: label, metadataProvider: metadataProvider, write: Self.writeToStandardError)
    }

    /// Hands each line (with its final newline) to `write` (tests).
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        write(Self.line(timestamp: Self.timestamp(), level: event.level, label: label, message: event.message.description, metadata: merged))
    }

    static let fixedKeys: Set<String> = ["timestamp", "level", "label", "message"]

    /// The JSON object of one entry, with its newline.
    static func line(
        timestamp: String, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata
    ) -> String {
        var fields: [(String, String)] = []
        for (key, value) in metadata { flatten(value, key: key, into: &fields) }
        var line = "{\"timestamp\":\(quoted(timestamp)),\"level\":\(quoted(level.rawValue)),\"label\":\(quoted(label)),\"message\":\(quoted(message))"
        for (key, json) in fields.sorted(by: { $0.0 < $1.0 }) {
            let name = fixedKeys.contains(key) ? "metadata." + key : key
            line += ",\(quoted(name)):\(json)"
        }
        return line + "}\n"
    }

    /// `value` as (key, JSON text) pairs: a dictionary contributes one pair per leaf.
    private static func flatten(_ value: Logger.Metadata.Value, key: String, into fields: inout [(String, String)]) {
        switch value {
        case .dictionary(let dictionary):
            for (child, value) in dictionary { flatten(value, key: key + "." + child, into: &fields) }
        case .array(let values):
            fields.append((key, "[" + values.map { quoted($0.description) }.joined(separator: ",") + "]"))
        case .string(let text):
            fields.append((key, quoted(text)))
        case .stringConvertible(let value):
            fields.append((key, quoted(value.description)))
        }
    }

    /// A JSON string literal: `"`, `\` and every character below U+0020 escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let control where control.value < 0x20 || control.value == 0x7F:
                let hex = String(control.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Now as `2026-11-28T06:47:01.123Z`.
    static func timestamp() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// One `write(2)` per line (retried for what a partial write left).
    @Sendable static func writeToStandardError(_ line: String) {
        let bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                #if canImport(Glibc)
                    Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                #else
                    Darwin.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                #endif
            }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
