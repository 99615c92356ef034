import CouponKit
import Foundation
import RobustMark

/// `robust.key` in the profile: the merchant's own current robust-layer key, saved by
/// `coupon merchant login` (merchants only; the server never sends it to members, nor
/// one merchant's key to another) and used by `coupon mint`, which derives each coupon's
/// identifier from it (``CouponRobustIdentity/Derivation/v2``). After
/// `coupon-server merchant rotate-robust-key`, logging in again saves the new one. Base64 of 32 bytes on one line, mode 0600, like
/// `coupon watermark robust-keygen`'s files.
extension Profile {
    var robustKeyPath: String { home + "/robust.key" }

    /// The saved robust key, or nil when none is saved.
    func savedRobustKey() throws(CommandFailure) -> RobustKey? {
        guard FileManager.default.fileExists(atPath: robustKeyPath) else { return nil }
        return try RobustKeyOption.load(robustKeyPath)
    }

    /// Throws ``KeyFiles/Failure`` when the file cannot be written.
    func saveRobustKey(_ key: RobustKey) throws {
        try ensureHome()
        try KeyFiles.write(key.base64 + "\n", to: robustKeyPath, mode: 0o600, overwrite: true)
    }
}
