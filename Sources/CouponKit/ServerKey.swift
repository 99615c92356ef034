public import Crypto
import Foundation

/// The server's own public signing key (Ed25519): what verifies the bindings of personal
/// copies (``CopyBinding``). Published in `GET /v1/keys` as `server_keys`, retired ones
/// too, so that a binding signed before a rotation still verifies.
public struct ServerPublicKey: Sendable, Equatable {
    public let key: Curve25519.Signing.PublicKey
    /// Retired keys sign nothing new; what they signed still verifies.
    public var retired: Bool

    public init(_ key: Curve25519.Signing.PublicKey, retired: Bool = false) {
        self.key = key
        self.retired = retired
    }

    /// The raw 32-byte key, base64 (the API's `public_key`).
    public init?(base64: String, retired: Bool = false) {
        guard let raw = KeyText.raw(base64), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        else { return nil }
        self.init(key, retired: retired)
    }

    public var base64: String { key.rawRepresentation.base64EncodedString() }

    /// "srv_" and the first 8 bytes of SHA-256 over the raw key, in hex: derived from the
    /// key itself, so a binding names the key that must verify it.
    public var id: String { "srv_" + SHA256.hash(data: key.rawRepresentation).prefix(8).hexString }

    public static func == (a: Self, b: Self) -> Bool {
        a.key.rawRepresentation == b.key.rawRepresentation && a.retired == b.retired
    }
}

/// The server's private signing key: made on the server's first start, kept in its store,
/// rotated by `coupon-server keys rotate-server`. It signs one thing: the bindings of
/// personal copies.
public struct ServerKey: Sendable {
    public let privateKey: Curve25519.Signing.PrivateKey

    public init(_ privateKey: Curve25519.Signing.PrivateKey = .init()) {
        self.privateKey = privateKey
    }

    /// The raw 32 bytes, as the store keeps them.
    public init?(rawBytes: [UInt8]) {
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: rawBytes) else { return nil }
        self.privateKey = key
    }

    public var rawBytes: [UInt8] { Array(privateKey.rawRepresentation) }
    public var publicKey: ServerPublicKey { ServerPublicKey(privateKey.publicKey) }
    public var id: String { publicKey.id }
}
