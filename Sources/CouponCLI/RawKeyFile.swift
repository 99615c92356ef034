import Foundation

/// The key files of the two raw layers (`coupon watermark keygen` for the fragile layer,
/// `robust-keygen` for the robust one): 32 random bytes, base64, one line, mode 0600. One
/// format and one reader, so a file either layer writes is read back the same way.
enum RawKeyFile {
    static let byteCount = 32

    /// Writes a fresh key to `path` (refuses to overwrite).
    static func create(at path: String) throws {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<byteCount).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try KeyFileWriter.write(Data(bytes).base64EncodedString() + "\n", to: path)
    }

    /// The key's bytes. A file that is not base64 of 32 bytes (surrounding white space
    /// allowed) fails with the usage exit code, calling the file a `kind`.
    static func read(_ path: String, kind: String) throws(CommandFailure) -> [UInt8] {
        let text = String(decoding: try Files.read(path), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let raw = Data(base64Encoded: text), raw.count == byteCount else {
            throw CommandFailure("\(path) is not a \(kind) (base64 of 32 bytes)", exitCode: ExitStatus.usage)
        }
        return [UInt8](raw)
    }
}
