public import ImageCore

/// Errors of the watermark core. None of them carries key material.
public enum WatermarkError: Error, Equatable, Sendable {
    /// A watermark key must be exactly 32 bytes.
    case invalidKeyLength(Int)
    /// Only `.rgb8` and `.rgba8` 8-bit images are supported, at least 16 pixels wide and big
    /// enough for the header, the tag grid and one payload chunk.
    case imageTooSmall(width: Int, height: Int)
    /// The payload does not fit: `needed` bytes asked for, `available` bytes is the capacity.
    case payloadTooLarge(needed: Int, available: Int)
    /// No watermark header could be read (an unmarked image, or one damaged beyond repair).
    case noWatermark
    /// A watermark is present but was made with another key; `keyHint` is the marker's hint.
    case wrongKey(keyHint: UInt32)
    /// A header of an unknown format version.
    case unsupportedVersion(UInt8)
    /// The header and key match but the payload could not be recovered intact
    /// (too much damage, or the payload MAC failed).
    case payloadUnrecoverable
}

/// The public header of a watermark: readable by anyone, it says a watermark is present
/// and which key made it (fingerprint plus the caller's 32-bit hint, e.g. a key epoch).
public struct WatermarkHeader: Sendable, Equatable {
    /// Format version (currently 1).
    public let version: UInt8
    /// The marking key's 8-byte public fingerprint (`WatermarkKey.fingerprint`).
    public let keyFingerprint: [UInt8]
    /// Caller-supplied hint stored at embed time (the coupon layer stores the key epoch).
    public let keyHint: UInt32
    /// Random per-mark nonce; keyed positions and whitening depend on it.
    public let nonce: UInt64
    /// Symbols the header's Reed-Solomon decoder corrected.
    public let correctedSymbols: Int
}

/// A recovered payload.
public struct ExtractedPayload: Sendable, Equatable {
    /// The payload bytes exactly as embedded (verified by a keyed MAC).
    public let payload: [UInt8]
    /// The header that was read.
    public let header: WatermarkHeader
    /// Reed-Solomon symbols corrected in the meta and payload codewords (after majority voting).
    public let correctedSymbols: Int
}

/// One block of the digest grid, in pixels (`array` is the CLI's `[x, y, w, h]`).
public typealias BlockRect = PixelRect

/// The result of a tamper check.
public struct TamperReport: Sendable, Equatable {
    /// Blocks whose upper-7-bit content no longer matches the tag stored at marking time.
    public let tamperedBlocks: [BlockRect]
    /// Number of blocks in the grid.
    public let blockCount: Int
    /// Tampered pixel area / image area (0...1).
    public let tamperedFraction: Double

    /// Whether no block was found changed.
    public var isIntact: Bool { tamperedBlocks.isEmpty }
}
