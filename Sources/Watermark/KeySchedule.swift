import Crypto
import ImageCore

/// A 32-byte watermark key with everything derived from it once (sub-keys, fingerprint,
/// the NH key for the digest grid). Create one per key and reuse it: derivation costs
/// about 2,000 HMAC calls (the NH key is 16,256 words, 32 bytes per call).
///
/// Derivation: `prk = HKDF-Extract(salt: "couponmark/watermark/v1", ikm: key)`, then every
/// sub-key is `HKDF-Expand(prk, info: label || image geometry || nonce, 32)`. Long pseudo-random
/// streams (positions, whitening, NH key words) are HMAC-SHA256 in counter mode
/// (NIST SP 800-108) under such a sub-key. No home-made primitives.
public struct WatermarkKey: Sendable {
    let prk: SymmetricKey
    /// Public 8-byte fingerprint of the key, stored in the watermark header so that an
    /// extractor can tell "wrong key" from "no watermark". Reveals nothing usable about the key.
    public let fingerprint: [UInt8]
    /// NH key words for the tamper digest (`Layout.nhKeyWords` of them).
    let nhKey: [UInt32]

    /// Wraps exactly 32 key bytes.
    public init(bytes: [UInt8]) throws(WatermarkError) {
        guard bytes.count == 32 else { throw .invalidKeyLength(bytes.count) }
        let extracted = HKDF<SHA256>.extract(
            inputKeyMaterial: SymmetricKey(data: bytes), salt: Array("couponmark/watermark/v1".utf8))
        prk = SymmetricKey(data: Array(extracted))
        fingerprint = KeySchedule.expand(prk, label: "fingerprint", context: []).withUnsafeBytes { Array($0.prefix(8)) }
        var stream = CounterStream(key: KeySchedule.expand(prk, label: "nh-key", context: []))
        var words = [UInt32](repeating: 0, count: Layout.nhKeyWords)
        for i in words.indices { words[i] = stream.nextUInt32() }
        nhKey = words
    }

    /// Constant-time comparison of a stored fingerprint with this key's.
    func matches(fingerprint other: [UInt8]) -> Bool {
        guard other.count == fingerprint.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<other.count { diff |= other[i] ^ fingerprint[i] }
        return diff == 0
    }
}

enum KeySchedule {
    /// The public key of the header layer: anyone can locate and read the header.
    static let publicKey = SymmetricKey(data: Array(SHA256.hash(data: Array("couponmark/public-header/v1".utf8))))

    /// HKDF-Expand to a 32-byte sub-key bound to `label` and `context`.
    static func expand(_ prk: SymmetricKey, label: String, context: [UInt8]) -> SymmetricKey {
        var info = Array("couponmark/".utf8) + Array(label.utf8)
        info.append(0)
        info += context
        return HKDF<SHA256>.expand(pseudoRandomKey: prk, info: info, outputByteCount: 32)
    }

    /// Context bytes naming an image size, a channel number (`HeaderLayout.colourChannels`,
    /// 3, for every new mark, whatever the pixel format) and a per-mark nonce.
    static func context(width: Int, height: Int, channels: UInt8, nonce: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(25)
        appendLE(&out, UInt64(width))
        appendLE(&out, UInt64(height))
        out.append(channels)
        appendLE(&out, nonce)
        return out
    }

    static func appendLE(_ out: inout [UInt8], _ v: UInt64) {
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * i))) }
    }

    static func appendLE(_ out: inout [UInt8], _ v: UInt32) {
        for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * i))) }
    }
}

/// HMAC-SHA256 in counter mode (NIST SP 800-108): block i = HMAC(key, i as UInt64 LE).
/// The key is set up once (`keyed`); each block starts from a copy of that state.
struct CounterStream {
    private let keyed: HMAC<SHA256>
    private var counter: UInt64 = 0
    private var buffer: [UInt8] = []
    private var index = 0

    init(key: SymmetricKey) {
        keyed = HMAC<SHA256>(key: key)
    }

    private mutating func refill() {
        var mac = keyed
        withUnsafeBytes(of: counter.littleEndian) { mac.update(data: $0) }
        counter &+= 1
        buffer = Array(mac.finalize())
        index = 0
    }

    mutating func nextByte() -> UInt8 {
        if index == buffer.count { refill() }
        let b = buffer[index]
        index += 1
        return b
    }

    mutating func nextUInt32() -> UInt32 {
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(nextByte()) << (8 * i) }
        return v
    }

    /// Uniform-enough integer in 0..<bound (multiply-shift; bias < bound / 2^32).
    mutating func next(below bound: Int) -> Int {
        Int((UInt64(nextUInt32()) &* UInt64(bound)) >> 32)
    }

    /// The next 6 bytes as a 48-bit segment word (little endian).
    mutating func nextSegmentWord() -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<6 { v |= UInt64(nextByte()) << (8 * i) }
        return v
    }
}
