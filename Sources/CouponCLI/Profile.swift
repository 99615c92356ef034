import CouponKit
import Foundation

/// What the CLI remembers between runs, under `$COUPON_HOME` (default `~/.couponmark`),
/// every file mode 0600:
/// - `keys.json`: the `Keys` document (reveal keys of every epoch, issuer public keys),
///   saved by `coupon join` and `coupon merchant login`;
/// - `profile.json`: `{"server","token","role"}` for talking to the marketing server.
struct Profile {
    let home: String

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let custom = environment["COUPON_HOME"], !custom.isEmpty {
            home = custom
        } else {
            home = (environment["HOME"] ?? NSHomeDirectory()) + "/.couponmark"
        }
    }

    var keysPath: String { home + "/keys.json" }

    /// The saved key ring, or nil when nothing is saved.
    func savedKeys() throws(CommandFailure) -> KeyRing? {
        guard FileManager.default.fileExists(atPath: keysPath) else { return nil }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: keysPath))
            guard let ring = try JSONDecoder().decode(KeysDocument.self, from: data).keyRing else {
                throw CommandFailure("\(keysPath) holds an invalid key; run coupon join again", exitCode: ExitStatus.usage)
            }
            return ring
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("\(keysPath) is not a keys document: run coupon join again", exitCode: ExitStatus.usage)
        }
    }

    /// Throws ``CommandFailure`` when the home cannot be made, ``KeyFiles/Failure`` when
    /// the file cannot be written.
    func saveKeys(_ ring: KeyRing) throws {
        try ensureHome()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let text: String
        do {
            text = String(decoding: try encoder.encode(KeysDocument(ring)), as: UTF8.self) + "\n"
        } catch {
            throw ContextualFailure<any Error>("cannot encode keys", error, exitCode: ExitStatus.usage)
        }
        try KeyFiles.write(text, to: keysPath, mode: 0o600, overwrite: true)
    }

    func ensureHome() throws(CommandFailure) {
        do {
            try FileManager.default.createDirectory(
                atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw CommandFailure("cannot create \(home): \(Files.reason(error))", exitCode: ExitStatus.usage)
        }
    }
}
