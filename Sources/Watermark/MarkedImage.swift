public import ImageCore

/// An image whose public watermark header has been read, ready to be verified with the
/// key the header names. Reading the header costs keyed-layout work, so a verifier that
/// first needs the header (to pick a key by its `keyHint`) reads it once here, then calls
/// ``verify(key:maxPayloadLength:)``, which extracts the payload, checks the tamper grid and computes the
/// artwork digest with one pass over the pixels for both digests.
///
/// ```swift
/// let marked = try MarkedImage(image)                 // .noWatermark, .unsupportedVersion
/// let key = keys[marked.header.keyHint]
/// let result = try marked.verify(key: key)             // .wrongKey, .payloadUnrecoverable
/// ```
public struct MarkedImage: Sendable {
    /// What `verify` found.
    public struct Verification: Sendable, Equatable {
        /// The payload, exactly as embedded.
        public let payload: ExtractedPayload
        /// Which digest-grid blocks changed since marking.
        public let tamper: TamperReport
        /// `Watermark.artworkDigest` of the image.
        public let artworkDigest: [UInt8]
    }

    public let image: PixelBuffer
    /// The public header (anyone can read it).
    public let header: WatermarkHeader
    let geometry: Geometry
    let headerLayout: HeaderLayout
    let mode: KernelMode

    /// Reads the public header. Throws `.noWatermark` when there is none (or the image is
    /// too small to hold one) and `.unsupportedVersion` for an unknown format.
    public init(_ image: PixelBuffer, mode: KernelMode = .simd) throws(WatermarkError) {
        let g = Geometry(image)
        guard g.isUsable else { throw .noWatermark }
        (headerLayout, header) = try HeaderLayout.find(in: image, geometry: g, mode: mode)
        self.image = image
        self.geometry = g
        self.mode = mode
    }

    /// The keyed layout of this mark; `.wrongKey` when `key` did not make it.
    func layout(key: WatermarkKey) throws(WatermarkError) -> KeyedLayout {
        guard key.matches(fingerprint: header.keyFingerprint) else { throw .wrongKey(keyHint: header.keyHint) }
        return try KeyedLayout(geometry: geometry, header: headerLayout, key: key, nonce: header.nonce)
    }

    /// Recovers the payload, checks every block's tag and computes the artwork digest.
    /// Throws `.wrongKey(keyHint:)` (another key made the mark) or `.payloadUnrecoverable`.
    ///
    /// `maxPayloadLength` is the longest payload the caller can use (a coupon seal has a
    /// known maximum): a mark whose keyed length field claims more is refused with
    /// `.payloadTooLarge` before its chunks are read, so a crafted mark on a large image
    /// cannot make the verifier decode megabytes of payload.
    public func verify(key: WatermarkKey, maxPayloadLength: Int = .max) throws(WatermarkError) -> Verification {
        let layout = try layout(key: key)
        let payload = try Watermark.extract(
            image, layout: layout, header: header, mode: mode, maxPayloadLength: maxPayloadLength)
        let digests = DigestPass.run(image, nhKey: key.nhKey, mode: mode)
        let tamper = TamperGrid.check(image, layout: layout, nh: digests.nh, mode: mode)
        return Verification(payload: payload, tamper: tamper, artworkDigest: digests.artwork)
    }
}
