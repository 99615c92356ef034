import Foundation

/// How keys travel as text: standard base64 of the raw bytes, as in `issuer.pub`,
/// `issuer.key`, `reveal.key` and the API's key fields. Whitespace around it (a key
/// file's trailing newline) is allowed.
package enum KeyText {
    /// The raw bytes of `text`, or nil when it is not base64 of exactly `count` bytes.
    package static func raw(_ text: String, count: Int = 32) -> Data? {
        guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), raw.count == count
        else { return nil }
        return raw
    }
}
