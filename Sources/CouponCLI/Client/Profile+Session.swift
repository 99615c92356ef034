import CouponKit
import Foundation

/// `profile.json`: who this terminal is on which server.
struct Session: Codable {
    var server: String
    var token: String
    /// "member" or "merchant".
    var role: String
    var id: String?
}

extension Profile {
    var sessionPath: String { home + "/profile.json" }

    func savedSession() throws(CommandFailure) -> Session? {
        guard FileManager.default.fileExists(atPath: sessionPath) else { return nil }
        do {
            return try JSONDecoder().decode(Session.self, from: Data(contentsOf: URL(fileURLWithPath: sessionPath)))
        } catch {
            throw CommandFailure("\(sessionPath) is damaged; run coupon join or coupon merchant login again", exitCode: ExitStatus.usage)
        }
    }

    /// Removes `profile.json` (the token); keys stay.
    func forgetSession() throws(CommandFailure) {
        do {
            try FileManager.default.removeItem(atPath: sessionPath)
        } catch {
            throw CommandFailure("cannot remove \(sessionPath): \(error.localizedDescription)", exitCode: ExitStatus.usage)
        }
    }

    func saveSession(_ session: Session) throws(CommandFailure) {
        try ensureHome()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            let text = String(decoding: try encoder.encode(session), as: UTF8.self) + "\n"
            try KeyFiles.write(text, to: sessionPath, mode: 0o600, overwrite: true)
        } catch {
            throw CommandFailure("cannot save \(sessionPath): \(error)", exitCode: ExitStatus.usage)
        }
    }
}
