public import Crypto
import Foundation

/// A reveal key: 32 random bytes and the epoch it belongs to. Members receive every
/// epoch's key on joining; the server starts a new epoch on rotation. Sub-keys for the
/// watermark and for sealing are derived from it with HKDF-SHA256, so one secret opens
/// both layers and neither sub-key reveals the other.
public struct RevealKey: Sendable, Equatable {
    public let epoch: UInt32
    public let key: SymmetricKey

    public init(epoch: UInt32, key: SymmetricKey = SymmetricKey(size: .bits256)) {
        self.epoch = epoch
        self.key = key
    }

    public init?(epoch: UInt32, base64: String) {
        guard let raw = KeyText.raw(base64) else { return nil }
        self.init(epoch: epoch, key: SymmetricKey(data: raw))
    }

    /// Reads the raw 32-byte key (how the store keeps it).
    public init?(epoch: UInt32, rawBytes: [UInt8]) {
        guard rawBytes.count == 32 else { return nil }
        self.init(epoch: epoch, key: SymmetricKey(data: rawBytes))
    }

    public var base64: String { Data(rawBytes).base64EncodedString() }
    /// The raw 32 bytes.
    public var rawBytes: [UInt8] { key.withUnsafeBytes { Array($0) } }

    /// The 32-byte key of the watermark layer.
    public var watermarkKey: [UInt8] { derive("couponmark watermark v1") }

    /// The AEAD key that seals tokens.
    var sealKey: SymmetricKey { SymmetricKey(data: derive("couponmark seal v1")) }

    private func derive(_ info: String) -> [UInt8] {
        let derived = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key, salt: Array("couponmark".utf8), info: Array(info.utf8), outputByteCount: 32)
        return derived.withUnsafeBytes { Array($0) }
    }

    public static func == (lhs: RevealKey, rhs: RevealKey) -> Bool {
        lhs.epoch == rhs.epoch && lhs.key == rhs.key
    }
}

/// The reveal keys and issuer public keys someone holds (a member's profile, the
/// server's key store). Same shape as the API's `Keys` document.
public struct KeyRing: Sendable {
    public var revealKeys: [RevealKey]
    public var issuers: [IssuerPublicKey]
    /// Epochs the server no longer accepts coupons of (their keys still reveal).
    public var retiredEpochs: Set<UInt32>
    /// The server's signing keys, retired ones too: what verifies personal copies' bindings.
    public var serverKeys: [ServerPublicKey]

    public init(
        revealKeys: [RevealKey] = [], issuers: [IssuerPublicKey] = [], retiredEpochs: Set<UInt32> = [],
        serverKeys: [ServerPublicKey] = []
    ) {
        self.revealKeys = revealKeys
        self.issuers = issuers
        self.retiredEpochs = retiredEpochs
        self.serverKeys = serverKeys
    }

    public func revealKey(epoch: UInt32) -> RevealKey? { revealKeys.first { $0.epoch == epoch } }
    public func issuer(id: String) -> IssuerPublicKey? { issuers.first { $0.id == id } }

    /// The newest epoch's key, for sealing new coupons.
    public var newestRevealKey: RevealKey? { revealKeys.max { $0.epoch < $1.epoch } }
}
