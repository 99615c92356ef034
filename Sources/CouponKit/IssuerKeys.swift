public import Crypto
import Foundation

/// An issuer's public key (Ed25519) with its short id.
public struct IssuerPublicKey: Sendable {
    public let key: Curve25519.Signing.PublicKey

    public init(_ key: Curve25519.Signing.PublicKey) {
        self.key = key
    }

    /// Reads the raw 32-byte key, base64 (the `issuer.pub` file and the API's `public_key`).
    public init?(base64: String) {
        guard let raw = KeyText.raw(base64) else { return nil }
        self.init(rawBytes: Array(raw))
    }

    /// Reads the raw 32-byte key (how the store keeps it).
    public init?(rawBytes: [UInt8]) {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawBytes) else { return nil }
        self.key = key
    }

    public var base64: String { key.rawRepresentation.base64EncodedString() }
    /// The raw 32 bytes.
    public var rawBytes: [UInt8] { Array(key.rawRepresentation) }

    /// "iss_" and the first 8 bytes of SHA-256 over the raw key, in hex: stable, short,
    /// and derived from the key itself, so a coupon names the key that must verify it.
    public var id: String {
        "iss_" + SHA256.hash(data: key.rawRepresentation).prefix(8).hexString
    }
}

/// An issuer's private signing key. Only the issuer can make coupons the server accepts.
public struct IssuerKey: Sendable {
    public let privateKey: Curve25519.Signing.PrivateKey

    public init(_ privateKey: Curve25519.Signing.PrivateKey = .init()) {
        self.privateKey = privateKey
    }

    public init?(base64: String) {
        guard let raw = KeyText.raw(base64), let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else { return nil }
        self.privateKey = key
    }

    public var base64: String { privateKey.rawRepresentation.base64EncodedString() }
    public var publicKey: IssuerPublicKey { IssuerPublicKey(privateKey.publicKey) }
}
