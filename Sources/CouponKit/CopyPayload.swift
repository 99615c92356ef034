/// What a coupon's fragile layer carries: the issuer's sealed token alone (every coupon,
/// and a personal coupon as minted), or, in a personal copy, the sealed token and the
/// copy's ``CopyBinding``.
///
/// A sealed token starts with `"CM"` (``SealedToken``). A personal copy's payload starts
/// with `"CB"`, format version 1, the sealed token's length (2 bytes, big endian), the
/// sealed token, then the encoded binding. A reader that predates personal copies finds
/// no seal in it and refuses the picture, which is what it should do with a coupon whose
/// rules it does not know.
public enum CopyPayload {
    public static let magic: [UInt8] = [0x43, 0x42]
    public static let version: UInt8 = 1
    static let headerSize = 5
    /// The longest payload a coupon's fragile layer may claim: a personal copy's.
    public static let maxLength = headerSize + SealedToken.maxLength + CopyBinding.maxLength

    /// A personal copy's payload.
    public static func encode(sealed: [UInt8], binding: CopyBinding) -> [UInt8] {
        precondition(sealed.count <= SealedToken.maxLength, "a seal is at most SealedToken.maxLength bytes")
        return magic + [version, UInt8(sealed.count >> 8), UInt8(sealed.count & 0xFF)] + sealed + binding.encoded
    }

    /// The sealed token and, for a personal copy, its binding; a payload that starts with
    /// neither magic is returned whole as the seal (``SealedToken/open(_:keys:)`` refuses it).
    public static func split(_ payload: [UInt8]) throws(CopyBinding.DecodeError) -> (sealed: [UInt8], binding: CopyBinding?) {
        guard payload.count >= headerSize, Array(payload.prefix(2)) == magic else { return (payload, nil) }
        guard payload[2] == version else { throw .unsupportedVersion(payload[2]) }
        let length = Int(payload[3]) << 8 | Int(payload[4])
        guard length <= payload.count - headerSize else { throw .truncated }
        let sealed = Array(payload[headerSize..<headerSize + length])
        return (sealed, try CopyBinding(decoding: Array(payload[(headerSize + length)...])))
    }
}
