import Crypto
import Foundation

/// Signing and sealing of coupon terms, and the reverse.
///
/// Sealed layout: a 7-byte clear header (`"CM"`, format version 1, key epoch as a
/// big-endian UInt32), then ChaCha20-Poly1305 (nonce, ciphertext, tag) over the signed
/// token, with the header as authenticated data. The signed token is the encoded terms
/// followed by an Ed25519 signature over `"couponmark token v1" || terms`.
public enum SealedToken {
    public static let magic: [UInt8] = [0x43, 0x4D]
    public static let version: UInt8 = 1
    public static let headerSize = 7
    static let signatureContext = Array("couponmark token v1".utf8)
    static let signatureSize = 64
    /// The longest encoded terms a seal may hold. Real terms take 150-250 bytes (the title
    /// is at most 80, a serial 64); ``seal(_:issuer:revealKey:)`` refuses longer ones.
    public static let maxTermsLength = 768
    /// The longest seal there can be: header, terms, signature, ChaCha20-Poly1305 nonce
    /// and tag. A verifier refuses a watermark that claims a longer payload before
    /// decoding it.
    public static let maxLength = headerSize + 12 + maxTermsLength + signatureSize + 16

    public enum SealError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The encoded terms are longer than ``SealedToken/maxTermsLength``.
        case termsTooLong(Int, limit: Int)

        public var description: String {
            switch self {
            case .termsTooLong(let length, let limit): "the coupon's terms encode to \(length) bytes, over the \(limit) a seal holds"
            }
        }
    }

    public enum OpenError: Error, Equatable, Sendable {
        /// Not a Couponmark seal (bad magic or too short).
        case notASeal
        /// A seal format this version does not know.
        case unsupportedVersion(UInt8)
        /// No reveal key of this epoch is held.
        case unknownEpoch(UInt32)
        /// The AEAD refused: wrong key, or the sealed bytes were changed.
        case badSeal
        /// The signer is not a known issuer.
        case unknownIssuer(String)
        /// The signature does not verify.
        case badSignature
        /// Opened and verified, but the terms do not parse.
        case malformedTerms(TokenCodec.DecodeError)
    }

    /// Signs `terms` with `issuer` and seals the result with `revealKey`.
    public static func seal(_ terms: CouponTerms, issuer: IssuerKey, revealKey: RevealKey) throws -> [UInt8] {
        let token = TokenCodec.encode(terms)
        guard token.count <= maxTermsLength else { throw SealError.termsTooLong(token.count, limit: maxTermsLength) }
        let signature = try issuer.privateKey.signature(for: signatureContext + token)
        let header = header(epoch: revealKey.epoch)
        let box = try ChaChaPoly.seal(token + Array(signature), using: revealKey.sealKey, authenticating: header)
        return header + Array(box.combined)
    }

    /// The epoch named in a seal's clear header, without opening it.
    public static func epoch(of sealed: [UInt8]) throws(OpenError) -> UInt32 {
        guard sealed.count > headerSize, sealed.count <= maxLength, Array(sealed.prefix(2)) == magic else {
            throw .notASeal
        }
        guard sealed[2] == version else { throw .unsupportedVersion(sealed[2]) }
        return sealed[3..<7].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    /// Opens with the matching reveal key, verifies the issuer's signature, decodes terms.
    public static func open(_ sealed: [UInt8], keys: KeyRing) throws(OpenError) -> CouponTerms {
        let epoch = try epoch(of: sealed)
        guard let revealKey = keys.revealKey(epoch: epoch) else { throw .unknownEpoch(epoch) }
        let signed: [UInt8]
        do {
            let box = try ChaChaPoly.SealedBox(combined: sealed[headerSize...])
            signed = Array(try ChaChaPoly.open(box, using: revealKey.sealKey, authenticating: sealed[..<headerSize]))
        } catch {
            throw .badSeal
        }
        guard signed.count > signatureSize else { throw .badSignature }
        let token = Array(signed.dropLast(signatureSize))
        let signature = signed.suffix(signatureSize)
        // The issuer id inside is untrusted until the signature verifies under that key.
        let claimed: CouponTerms
        do {
            claimed = try TokenCodec.decode(token)
        } catch {
            throw .badSignature
        }
        guard let issuer = keys.issuer(id: claimed.issuerId) else { throw .unknownIssuer(claimed.issuerId) }
        guard issuer.key.isValidSignature(signature, for: signatureContext + token) else { throw .badSignature }
        return claimed
    }

    static func header(epoch: UInt32) -> [UInt8] {
        magic + [version, UInt8(epoch >> 24), UInt8(epoch >> 16 & 0xFF), UInt8(epoch >> 8 & 0xFF), UInt8(epoch & 0xFF)]
    }
}
