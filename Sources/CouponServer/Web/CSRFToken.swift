import CouponStore
import Crypto
import Foundation

/// Tokens that tie a form POST to the page that showed the form (against cross-site
/// request forgery). A signed-in browser's forms carry its session's token
/// (``WebSession/csrf``); forms shown before anyone signs in (join, sign-in, the shop's
/// sign-in) carry the value of the `couponmark_csrf` cookie, which a page from another
/// site can neither read nor set (double submit). A POST without the token, or with
/// another session's, is 403 `forbidden`.
public enum CSRFToken {
    /// The form field every POST form carries.
    static let field = "csrf_token"
    /// The signed-out browser's cookie.
    static let cookie = "couponmark_csrf"

    /// 32 random bytes, base64url without padding (43 characters).
    public static func generate() -> String {
        Base64URL.encode(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }

    /// Whether `sent` is `expected`, in time independent of where they differ: the two
    /// SHA-256 digests are compared (swift-crypto compares digests in constant time),
    /// so neither length nor content leaks through timing.
    static func matches(_ sent: String?, _ expected: String?) -> Bool {
        guard let sent, let expected, !expected.isEmpty else { return false }
        return SHA256.hash(data: Data(sent.utf8)) == SHA256.hash(data: Data(expected.utf8))
    }
}
