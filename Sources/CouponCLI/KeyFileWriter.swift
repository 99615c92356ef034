import CouponKit

/// Secret files from the CLI: mode 0600, atomic, never overwriting.
enum KeyFileWriter {
    static func write(_ contents: String, to path: String) throws(KeyFiles.Failure) {
        try KeyFiles.write(contents, to: path, mode: 0o600, overwrite: false)
    }
}
