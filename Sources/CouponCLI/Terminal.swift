import CommandLineEntry
import Foundation

/// Output helpers: results on stdout, diagnostics on stderr, JSON as one document.
enum Terminal {
    static func error(_ line: String) {
        standardError("coupon: \(TerminalText.printable(line))\n")
    }

    static func note(_ line: String) {
        standardError("\(TerminalText.printable(line))\n")
    }

    /// ``TerminalText/printable(_:)``: control characters shown escaped.
    static func printable(_ text: String) -> String { TerminalText.printable(text) }

    /// Raw text on stderr (progress bars, ArgumentParser's messages).
    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Encodes `value` as one line of JSON with stable key order.
    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }
}
