import Crypto
import ImageCore

/// Both pixel digests in one pass over the image: each band of rows has its colour LSBs
/// cleared once into a cache-resident scratch buffer (`DigestKernel.mask`), which feeds the
/// SHA-256 artwork digest (`ArtworkHasher`) and the NH sums of the tamper grid
/// (`DigestKernel`). Verification reads the pixels once instead of twice.
enum DigestPass {
    /// Rows per band: as many as fit in 64 KiB (at least one).
    static let scratchBytes = 1 << 16

    /// The artwork digest of `image`, and each digest-grid block's NH sum under `nhKey`
    /// when one is given (else an empty array).
    static func run(_ image: PixelBuffer, nhKey: [UInt32]?, mode: KernelMode) -> (nh: [UInt64], artwork: [UInt8]) {
        let g = Geometry(image)
        var hasher = ArtworkHasher(width: g.width, height: g.height, channels: g.channels)
        var nh = [UInt64](repeating: 0, count: nhKey == nil ? 0 : g.blockCount)
        let bandRows = max(1, scratchBytes / max(1, g.rowBytes))
        var scratch = [UInt8](repeating: 0, count: bandRows * g.rowBytes)
        image.bytes.withUnsafeBufferPointer { src in
            scratch.withUnsafeMutableBufferPointer { band in
                nh.withUnsafeMutableBufferPointer { sums in
                    var y = 0
                    while y < g.height {
                        let rows = min(bandRows, g.height - y)
                        let count = rows * g.rowBytes
                        DigestKernel.mask(
                            src.baseAddress! + y * g.rowBytes, into: band.baseAddress!, count: count,
                            channels: g.channels, mode: mode)
                        hasher.update(masked: UnsafeRawBufferPointer(start: band.baseAddress, count: count))
                        if let nhKey {
                            nhKey.withUnsafeBufferPointer { k in
                                for r in 0..<rows {
                                    DigestKernel.addRow(
                                        band.baseAddress! + r * g.rowBytes, y: y + r, geometry: g, key: k.baseAddress!,
                                        out: sums, mode: mode)
                                }
                            }
                        }
                        y += rows
                    }
                }
            }
        }
        return (nh, hasher.finalize())
    }

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

        /// Adds bytes whose colour LSBs are already cleared (`DigestKernel.mask`).
        mutating func update(masked bytes: UnsafeRawBufferPointer) {
            sha.update(bufferPointer: bytes)
        }

        func finalize() -> [UInt8] { Array(sha.finalize()) }
    }
}
