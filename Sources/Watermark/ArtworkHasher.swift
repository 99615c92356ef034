import Crypto
import ImageCore

/// The signed artwork digest, fed row band by row band: SHA-256 over the domain label
/// `couponmark/artwork/v1`, then width, height and channel count (UInt64 little endian
/// each), then every pixel byte with the colour LSBs cleared (alpha kept whole), in
/// memory order. Independent of the low bits, so marking does not change it; any visible
/// edit does. Not keyed, and collision resistant (unlike the NH tag grid).
struct ArtworkHasher {
    private var sha = SHA256()

    init(width: Int, height: Int, channels: Int) {
        var prefix = Array("couponmark/artwork/v1".utf8)
        KeySchedule.appendLE(&prefix, UInt64(width))
        KeySchedule.appendLE(&prefix, UInt64(height))
        KeySchedule.appendLE(&prefix, UInt64(channels))
        sha.update(data: prefix)
    }

    /// Adds bytes whose colour LSBs are already cleared (`MaskKernel`).
    mutating func update(masked bytes: UnsafeRawBufferPointer) {
        sha.update(bufferPointer: bytes)
    }

    func finalize() -> [UInt8] { Array(sha.finalize()) }
}
