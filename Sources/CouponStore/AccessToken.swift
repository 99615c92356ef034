import CouponKit
import Crypto
public import Foundation

/// Bearer tokens: 32 random bytes, base64url without padding, prefixed by kind
/// (`cm_member_...`, `cm_merchant_...`). Only ``hash(_:)`` is ever stored, so a
/// database leak does not leak usable tokens; lookups go by hash.
public struct AccessToken: Sendable {
    public enum Kind: String, Sendable {
        case member, merchant
    }

    /// The secret; show it once, never log it.
    public let value: String
    /// SHA-256 of ``value``, lower-case hex.
    public var hash: String { Self.hash(value) }

    public static func generate(_ kind: Kind) -> AccessToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let encoded = Base64URL.encode(Data(bytes))
        return AccessToken(value: "cm_\(kind.rawValue)_\(encoded)")
    }

    public static func hash(_ token: String) -> String {
        SHA256Hex.of(token.utf8)
    }
}

/// Random public identifiers such as `ord_3f9a...` (12 random bytes in hex).
public enum Identifier {
    public static func make(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + "_" + (0..<12).map { _ in UInt8.random(in: .min ... .max, using: &generator) }.hexString
    }
}

/// Timestamps as stored and served: ISO 8601, UTC, whole seconds.
public enum Timestamp {
    public static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }
}

/// SHA-256 in lower-case hex, for fingerprints (request bodies, artwork) and tokens.
public enum SHA256Hex {
    public static func of(_ bytes: some Sequence<UInt8>) -> String {
        SHA256.hash(data: Array(bytes)).hexString
    }

    /// The digest of the strings' UTF-8 bytes one after another, hashed in place (an
    /// order's fingerprint covers a base64 coupon of some 80 KB: no joined copy).
    public static func of(utf8 parts: [String]) -> String {
        var hasher = SHA256()
        for var part in parts {
            part.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        return hasher.finalize().hexString
    }

    /// The digest of `prefix`'s UTF-8 bytes followed by `bytes`, hashed in place (an
    /// order's fingerprint covers its coupon picture, some 80 KB).
    public static func of(utf8 prefix: String, then bytes: [UInt8]) -> String {
        var hasher = SHA256()
        var prefix = prefix
        prefix.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hasher.finalize().hexString
    }
}
