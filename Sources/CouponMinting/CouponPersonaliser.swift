public import CouponKit
public import ImageCore
public import PNGCodec
public import RobustMark
import Watermark

/// Makes members' own copies of a personal coupon (``CouponTerms/personal``) from the
/// picture its merchant uploaded: a re-mark and a PNG encode, never a re-render.
///
/// A copy is the uploaded picture with
/// 1. the robust layer carrying the copy's identifier
///    (``CouponRobustIdentity/copyIdentifier(issuerId:serial:memberId:key:)``, under the
///    merchant's robust key), so that a JPEG, a resize or a screenshot of it still names
///    the member; a personal coupon is minted without a robust layer of its own, so the
///    copy's is the only one;
/// 2. a new fragile layer carrying the issuer's sealed token, unchanged, and the copy's
///    ``CopyBinding`` signed by the server (``CopyPayload``). The binding names the
///    issuer-signed digest and the copy's, which differ by the robust layer alone.
///
/// ```swift
/// let original = try CouponPersonaliser.Original(png: stored, keys: ring)
/// let copy = try personaliser.copy(of: original, memberId: "mbr_1", issuedAt: now, robustKey: key)
/// ```
public struct CouponPersonaliser: Sendable {
    public let serverKey: ServerKey
    public var encoder: PNGEncoder

    /// How copies are written: zlib level 1, no row filter. A copy is made while a member
    /// waits, and its encode is most of the work: an 800x400 copy (the robust layer's
    /// field makes any coupon that carries it about three times the size of one without)
    /// encodes in 3.4 ms at level 1 (129 KB), 6.8 ms at level 3 (110 KB) and 8.9 ms at level
    /// 6 (94 KB), release build, `coupon png bench`. A third more bytes, once per member, cost
    /// less than two and a half times the wait on every first copy. Row filters make it
    /// slower for little (paeth: 4.2 ms, 119 KB).
    public static let defaultEncoder = PNGEncoder(level: 1, filter: .none)

    public init(serverKey: ServerKey, encoder: PNGEncoder = CouponPersonaliser.defaultEncoder) {
        self.serverKey = serverKey
        self.encoder = encoder
    }

    /// A personal coupon as uploaded, opened once: its pixels, its sealed token and the
    /// reveal key that hides it. Kept by a server that hands out many copies of it.
    public struct Original: Sendable {
        public let terms: CouponTerms
        public let image: PixelBuffer
        public let sealed: [UInt8]
        public let revealKey: RevealKey

        /// Opens a personal coupon's PNG with `keys`. Throws ``CouponFailure`` when it does
        /// not reveal, and ``PersonaliseError/notPersonal`` when it is not a personal
        /// coupon's original (its terms are not personal, or it is a copy already).
        public init(png: [UInt8], keys: KeyRing) throws {
            let revealer = CouponRevealer(keys: keys)
            let revealed = try revealer.reveal(png: png)
            guard revealed.terms.personal, revealed.binding == nil else { throw PersonaliseError.notPersonal }
            guard let revealKey = keys.revealKey(epoch: revealed.epoch) else { throw CouponFailure.unknownEpoch(revealed.epoch) }
            let marked = try MarkedImage(revealed.image)
            let payload = try marked.verify(key: try WatermarkKeyCache.shared.key(for: revealKey)).payload.payload
            (terms, sealed, self.revealKey) = (revealed.terms, payload, revealKey)
            image = Self.withoutLowBits(revealed.image)
        }

        /// The colour bytes' low bits cleared (alpha kept). The uploaded picture's fragile
        /// layer is noise there, which a copy's own layer overwrites only in part: left in,
        /// it made every copy 7 % larger (101 KB against 94 KB at level 6). The artwork
        /// digest ignores these bits, and they change no level by more than one.
        static func withoutLowBits(_ image: PixelBuffer) -> PixelBuffer {
            var cleared = image
            let channels = image.format.channels, alpha = image.format.hasAlpha
            cleared.bytes.withUnsafeMutableBufferPointer { bytes in
                if alpha {
                    for i in bytes.indices where i % channels != channels - 1 { bytes[i] &= 0xFE }
                } else {
                    for i in bytes.indices { bytes[i] &= 0xFE }
                }
            }
            return cleared
        }
    }

    /// A member's copy: its binding (what the server records) and its PNG.
    public struct Copy: Sendable {
        public let binding: CopyBinding
        public let png: [UInt8]
    }

    public enum PersonaliseError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The picture is not a personal coupon's original.
        case notPersonal
        /// A binding recorded for this coupon does not match the copy made again (another
        /// robust key, or another coupon).
        case bindingMismatch

        public var description: String {
            switch self {
            case .notPersonal: "the picture is not a personal coupon as its merchant minted it"
            case .bindingMismatch: "the copy made again does not match its recorded binding"
            }
        }
    }

    /// A new copy for `memberId`, first issued at `issuedAt` (Unix seconds), its robust
    /// layer under `robustKey` (the merchant's current key).
    public func copy(of original: Original, memberId: String, issuedAt: Int64, robustKey: RobustKey) throws -> Copy {
        let terms = original.terms
        let copyId = CouponRobustIdentity.copyIdentifier(
            issuerId: terms.issuerId, serial: terms.serial, memberId: memberId, key: robustKey)
        var image = RobustMark.embed(original.image, id: copyId, key: robustKey)
        let binding = try CopyBinding(
            signing: serverKey, issuerId: terms.issuerId, serial: terms.serial, memberId: memberId, copyId: copyId,
            issuedAt: issuedAt, issuerDigest: terms.artworkDigest, copyDigest: Watermark.artworkDigest(image))
        return Copy(binding: binding, png: try finish(&image, original: original, binding: binding))
    }

    /// The copy a recorded `binding` describes, made again (the same binding, the same
    /// visible pixels; only the fragile layer's random nonce differs). `robustKey` must be
    /// the key the copy was first made under.
    public func copy(of original: Original, binding: CopyBinding, robustKey: RobustKey) throws -> Copy {
        guard binding.belongs(to: original.terms) else { throw PersonaliseError.bindingMismatch }
        var image = RobustMark.embed(original.image, id: binding.copyId, key: robustKey)
        guard Watermark.artworkDigest(image) == binding.copyDigest else { throw PersonaliseError.bindingMismatch }
        return Copy(binding: binding, png: try finish(&image, original: original, binding: binding))
    }

    private func finish(_ image: inout PixelBuffer, original: Original, binding: CopyBinding) throws -> [UInt8] {
        let payload = CopyPayload.encode(sealed: original.sealed, binding: binding)
        try Watermark.embed(
            payload, into: &image, key: try WatermarkKeyCache.shared.key(for: original.revealKey),
            keyHint: original.revealKey.epoch)
        return try encoder.encode(image)
    }
}
