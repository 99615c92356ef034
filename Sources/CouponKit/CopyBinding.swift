import Crypto
import Foundation

/// Who a personal copy was issued to, signed by the server: the binding a personal
/// coupon's copy carries in its fragile layer beside the issuer's sealed token
/// (``CopyPayload``), and what the server records for the copy.
///
/// It also attests the one step between the issuer's picture and the copy: the copy's
/// robust layer carries ``copyId``, which changes pixels the issuer signed. The binding
/// names the issuer-signed digest (``issuerDigest``, the terms' ``CouponTerms/artworkDigest``)
/// and the copy's own (``copyDigest``), so a copy verifies as: the issuer's signature over
/// the terms, the server's over the binding, the binding's issuer digest equal to the
/// terms', and the copy's pixels to ``copyDigest``.
///
/// Encoding (version 1), the signed bytes then the signature:
/// `0x01`, then `server_key_id`, `issuer_id`, `serial` and `member_id`, each a length
/// byte and UTF-8; `copy_id` (8 bytes, big endian), `issued_at` (Unix seconds, 8 bytes,
/// big endian, two's complement), `issuer_digest` and `copy_digest` (32 bytes each); then
/// the Ed25519 signature (64 bytes) over `"couponmark binding v1"` and the signed bytes.
public struct CopyBinding: Sendable, Equatable, Hashable {
    public static let version: UInt8 = 1
    static let signatureContext = Array("couponmark binding v1".utf8)
    static let signatureSize = 64
    static let digestSize = 32
    /// The longest encoding: four texts of at most 255 bytes, the numbers, digests and signature.
    public static let maxLength = 1 + 4 * 256 + 16 + 2 * digestSize + signatureSize

    public let serverKeyId: String
    public let issuerId: String
    public let serial: String
    public let memberId: String
    /// The copy's identifier: what its robust layer carries.
    public let copyId: UInt64
    /// Unix seconds (UTC) when the copy was first issued.
    public let issuedAt: Int64
    public let issuerDigest: [UInt8]
    public let copyDigest: [UInt8]
    public let signature: [UInt8]

    public enum DecodeError: Error, Equatable, Sendable {
        case unsupportedVersion(UInt8)
        case truncated
        case invalidField(String)
    }

    /// Signs a new binding with `key`. Throws when a text is over 255 bytes of UTF-8 or a
    /// digest is not 32 bytes, or when signing fails.
    public init(
        signing key: ServerKey, issuerId: String, serial: String, memberId: String, copyId: UInt64, issuedAt: Int64,
        issuerDigest: [UInt8], copyDigest: [UInt8]
    ) throws {
        guard
            let signed = Self.signedBytes(
                serverKeyId: key.id, issuerId: issuerId, serial: serial, memberId: memberId, copyId: copyId,
                issuedAt: issuedAt, issuerDigest: issuerDigest, copyDigest: copyDigest)
        else { throw DecodeError.invalidField("a text over 255 bytes or a digest not 32") }
        (serverKeyId, self.issuerId, self.serial, self.memberId) = (key.id, issuerId, serial, memberId)
        (self.copyId, self.issuedAt, self.issuerDigest, self.copyDigest) = (copyId, issuedAt, issuerDigest, copyDigest)
        signature = Array(try key.privateKey.signature(for: Self.signatureContext + signed))
    }

    /// Decodes an encoded binding (nothing is verified: see ``verify(with:)``).
    public init(decoding bytes: [UInt8]) throws(DecodeError) {
        var reader = ByteReader(bytes: bytes)
        let version = try reader.byte()
        guard version == Self.version else { throw .unsupportedVersion(version) }
        serverKeyId = try reader.text("server_key_id")
        issuerId = try reader.text("issuer_id")
        serial = try reader.text("serial")
        memberId = try reader.text("member_id")
        copyId = try reader.uint64()
        issuedAt = Int64(bitPattern: try reader.uint64())
        issuerDigest = try reader.bytes(Self.digestSize)
        copyDigest = try reader.bytes(Self.digestSize)
        signature = try reader.bytes(Self.signatureSize)
        guard reader.atEnd else { throw .invalidField("trailing bytes") }
    }

    /// The signed fields, or nil when one does not fit the encoding.
    var signedBytes: [UInt8]? {
        Self.signedBytes(
            serverKeyId: serverKeyId, issuerId: issuerId, serial: serial, memberId: memberId, copyId: copyId,
            issuedAt: issuedAt, issuerDigest: issuerDigest, copyDigest: copyDigest)
    }

    static func signedBytes(
        serverKeyId: String, issuerId: String, serial: String, memberId: String, copyId: UInt64, issuedAt: Int64,
        issuerDigest: [UInt8], copyDigest: [UInt8]
    ) -> [UInt8]? {
        var out: [UInt8] = [version]
        for text in [serverKeyId, issuerId, serial, memberId] {
            let utf8 = Array(text.utf8)
            guard utf8.count <= 255 else { return nil }
            out.append(UInt8(utf8.count))
            out += utf8
        }
        guard issuerDigest.count == digestSize, copyDigest.count == digestSize else { return nil }
        out += bigEndian(copyId) + bigEndian(UInt64(bitPattern: issuedAt)) + issuerDigest + copyDigest
        return out
    }

    /// The encoded binding, signature last.
    public var encoded: [UInt8] { (signedBytes ?? []) + signature }

    /// Whether the signature verifies under the server key it names, among `keys`
    /// (retired ones included: what they signed before a rotation stays valid).
    public func verify(with keys: [ServerPublicKey]) -> Verification {
        guard let key = keys.first(where: { $0.id == serverKeyId }) else { return .unknownKey }
        guard let signed = signedBytes, key.key.isValidSignature(signature, for: Self.signatureContext + signed)
        else { return .invalid }
        return .valid
    }

    /// What checking a binding's signature found.
    public enum Verification: String, Sendable, Equatable {
        /// Signed by a server key that was given.
        case valid
        /// Its server key is not among those given (a profile fetched before a rotation).
        case unknownKey = "unknown_key"
        /// The signature does not verify: not made by the server, or changed since.
        case invalid
    }

    /// Whether the binding belongs to these terms: the same issuer and serial, and the
    /// issuer-signed digest the terms carry.
    public func belongs(to terms: CouponTerms) -> Bool {
        issuerId == terms.issuerId && serial == terms.serial && issuerDigest == terms.artworkDigest
    }

    static func bigEndian(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }
}

/// Reads the fields of an encoding in order, every read bounds-checked.
struct ByteReader {
    let bytes: [UInt8]
    var index = 0

    var atEnd: Bool { index == bytes.count }

    mutating func byte() throws(CopyBinding.DecodeError) -> UInt8 {
        guard index < bytes.count else { throw .truncated }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func bytes(_ count: Int) throws(CopyBinding.DecodeError) -> [UInt8] {
        guard count <= bytes.count - index else { throw .truncated }
        defer { index += count }
        return Array(bytes[index..<index + count])
    }

    mutating func text(_ name: String) throws(CopyBinding.DecodeError) -> String {
        let length = Int(try byte())
        guard let text = String(validating: try bytes(length), as: UTF8.self) else { throw .invalidField(name) }
        return text
    }

    mutating func uint64() throws(CopyBinding.DecodeError) -> UInt64 {
        try bytes(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
}
