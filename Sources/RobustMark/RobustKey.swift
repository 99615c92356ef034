public import Crypto
import Foundation

/// The robust layer's secret: 32 random bytes. Whoever holds it can embed marks and read
/// them; without it the pattern is noise. It never reaches members: each merchant has its
/// own (the server keeps every merchant's, the merchant its current one; file mode 0600,
/// base64 like the other key files).
public struct RobustKey: Sendable {
    /// The raw key.
    public let key: SymmetricKey
    /// What the key decides about the tile, derived once when the key is made: a key is
    /// long-lived (a merchant's key reads copies until it is retired), a picture is not.
    let plan: RobustPlan
    /// The key of the identifiers' tags, derived once likewise.
    private let tagKey: SymmetricKey

    public init(_ key: SymmetricKey = SymmetricKey(size: .bits256)) {
        self.key = key
        plan = RobustPlan { Self.derive(key, $0, count: $1) }
        tagKey = SymmetricKey(data: Self.derive(key, "couponmark robust v1 tag", count: 32))
    }

    /// Reads base64 of exactly 32 bytes (whitespace around it allowed).
    public init?(base64: String) {
        guard let raw = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        self.init(bytes: Array(raw))
    }

    /// Exactly 32 raw bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.init(SymmetricKey(data: bytes))
    }

    public var base64: String { key.withUnsafeBytes { Data($0).base64EncodedString() } }

    /// The 32 raw bytes (for a key store).
    public var rawBytes: [UInt8] { key.withUnsafeBytes { Array($0) } }

    /// `count` bytes derived from `key` for one purpose (HKDF-SHA256, `info` naming the purpose).
    static func derive(_ key: SymmetricKey, _ info: String, count: Int) -> [UInt8] {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Array(info.utf8), outputByteCount: count)
            .withUnsafeBytes { Array($0) }
    }

    /// The authentication tag of an identifier: the first ``RobustLayout/tagBits`` bits of
    /// HMAC-SHA256 under a key derived for tags, most significant first.
    func tag(of id: UInt64) -> [UInt8] {
        let mac = HMAC<SHA256>.authenticationCode(for: withUnsafeBytes(of: id.bigEndian) { Array($0) }, using: tagKey)
        return Array(mac).bits(count: RobustLayout.tagBits)
    }
}

extension Array where Element == UInt8 {
    /// The first `count` bits, most significant bit of each byte first, one per element.
    func bits(count: Int) -> [UInt8] {
        (0..<count).map { (self[$0 / 8] >> (7 - UInt8($0 % 8))) & 1 }
    }
}
