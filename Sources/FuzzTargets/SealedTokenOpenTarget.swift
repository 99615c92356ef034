import CouponKit
import Crypto

/// `sealed-token-open`: the sealed bytes a coupon's watermark carries, through
/// `SealedToken.epoch(of:)` and `SealedToken.open(_:keys:)` with a fixed ``keyRing``. The same
/// bytes also go to `TokenCodec.decode`, which `open` reaches only after the AEAD and the
/// signature check (a fuzzer cannot forge those), so the terms codec is fuzzed directly.
public enum SealedTokenOpenTarget {
    /// Reveal keys of epochs 1 and 7 (32 bytes of 0x11 and 0x77).
    public static let revealKeys: [RevealKey] = [1, 7].compactMap { epoch in
        RevealKey(epoch: epoch, rawBytes: [UInt8](repeating: UInt8(epoch * 0x11), count: 32))
    }

    /// The issuer whose public key is in ``keyRing`` (private key: 32 bytes of 0x42).
    public static let issuer: IssuerKey = {
        do {
            return IssuerKey(try Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 0x42, count: 32)))
        } catch {
            preconditionFailure("a 32-byte Ed25519 seed is always valid: \(error)")
        }
    }()

    public static let keyRing = KeyRing(revealKeys: revealKeys, issuers: [issuer.publicKey])

    /// True when the bytes open under ``keyRing``.
    @discardableResult
    public static func run(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let data = [UInt8](bytes)
        _ = try? SealedToken.epoch(of: data)
        _ = try? TokenCodec.decode(data)
        return (try? SealedToken.open(data, keys: keyRing)) != nil
    }
}
