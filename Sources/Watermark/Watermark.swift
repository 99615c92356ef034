import ImageCore

/// Keyed, error-coded, tamper-evident LSB watermarking of 8-bit RGB/RGBA pixel buffers.
///
/// Only colour LSBs are written, in keyed cells of 16 x 2 pixels: a public header (RS-coded,
/// 3 copies), a keyed tamper grid of 16-bit tags per 64 x 64 block, and the payload in
/// RS(255,191) codewords under 3 keyed copies. The format, precise enough to reimplement,
/// is in the DocC catalog: `Sources/Watermark/Watermark.docc/Watermark.md`.
public enum Watermark {
    /// The format version written into headers.
    public static let formatVersion: UInt8 = Layout.version

    /// Largest payload, in bytes, that fits an image of this size (0 when none fits).
    public static func capacity(width: Int, height: Int, format: PixelFormat) -> Int {
        guard width > 0, height > 0 else { return 0 }
        return Geometry(width: width, height: height, format: format).payloadCapacity
    }

    /// Embeds `payload` into `image` under `key`, storing `keyHint` in the public header,
    /// and writes the tamper-tag grid of the image's current upper bits.
    ///
    /// Throws `.payloadTooLarge(needed:available:)` when the payload does not fit (never
    /// truncates) and `.imageTooSmall` for images that cannot carry a watermark at all.
    public static func embed(
        _ payload: [UInt8], into image: inout PixelBuffer, key: WatermarkKey, keyHint: UInt32 = 0,
        mode: KernelMode = .simd
    ) throws(WatermarkError) {
        var rng = SystemRandomNumberGenerator()
        try embed(payload, into: &image, key: key, keyHint: keyHint, nonce: rng.next(), mode: mode)
    }

    /// `embed` with an explicit nonce (deterministic output; tests and benchmarks).
    @_spi(Benchmarks) public static func embed(
        _ payload: [UInt8], into image: inout PixelBuffer, key: WatermarkKey, keyHint: UInt32, nonce: UInt64,
        mode: KernelMode
    ) throws(WatermarkError) {
        let g = Geometry(image)
        guard g.isUsable else { throw .imageTooSmall(width: image.width, height: image.height) }
        let available = g.payloadCapacity
        guard payload.count <= available else { throw .payloadTooLarge(needed: payload.count, available: available) }

        // 1. Header.
        let headerLayout = HeaderLayout(g)
        var headerData = Layout.magic
        headerData.append(Layout.version)
        headerData += key.fingerprint
        KeySchedule.appendLE(&headerData, keyHint)
        KeySchedule.appendLE(&headerData, nonce)
        let headerStream = ReedSolomon(parity: Layout.headerParity).encode(headerData)
        ChunkCodec.write(
            headerStream, into: &image, slots: headerLayout.slots, whitening: headerLayout.whitening, mode: mode)

        // 2. Payload.
        let layout = try KeyedLayout(geometry: g, header: headerLayout, key: key, nonce: nonce)
        let stream = PayloadCodec.encode(payload, macKey: layout.macKey)
        let (slots, whitening) = layout.payloadSlots(cellChunks: Layout.cellChunks(payload: payload.count))
        ChunkCodec.write(stream, into: &image, slots: slots, whitening: whitening, mode: mode)

        // 3. Tag grid (over upper bits only, so the order of these steps does not matter).
        TamperGrid.writeTags(into: &image, layout: layout, key: key, mode: mode)
    }

    /// Reads the public header; needs no key. Throws `.noWatermark` when there is none.
    public static func readHeader(_ image: PixelBuffer, mode: KernelMode = .simd) throws(WatermarkError)
        -> WatermarkHeader
    {
        let g = Geometry(image)
        guard g.isUsable else { throw .noWatermark }
        return try HeaderLayout.find(in: image, geometry: g, mode: mode).header
    }

    /// Recovers the payload. Throws `.noWatermark` (no header), `.wrongKey(keyHint:)` (header
    /// made by another key) or `.payloadUnrecoverable` (too damaged / MAC failed).
    public static func extract(from image: PixelBuffer, key: WatermarkKey, mode: KernelMode = .simd)
        throws(WatermarkError) -> ExtractedPayload
    {
        let (layout, header) = try openLayout(image, key: key, mode: mode)
        return try extract(image, layout: layout, header: header, mode: mode)
    }

    /// Compares every block's upper-7-bit content with the tag stored at marking time and
    /// lists the blocks that changed. Needs the key that made the mark (same errors as `extract`
    /// for the header), but not a readable payload.
    public static func check(_ image: PixelBuffer, key: WatermarkKey, mode: KernelMode = .simd)
        throws(WatermarkError) -> TamperReport
    {
        let (layout, _) = try openLayout(image, key: key, mode: mode)
        return TamperGrid.check(image, layout: layout, key: key, mode: mode)
    }

    /// `extract` and `check` sharing one header read and layout derivation.
    public static func verify(_ image: PixelBuffer, key: WatermarkKey, mode: KernelMode = .simd)
        throws(WatermarkError) -> (payload: ExtractedPayload, tamper: TamperReport)
    {
        let (layout, header) = try openLayout(image, key: key, mode: mode)
        let payload = try extract(image, layout: layout, header: header, mode: mode)
        return (payload, TamperGrid.check(image, layout: layout, key: key, mode: mode))
    }

    /// The artwork digest for the coupon layer to sign: SHA-256 over a domain label, width,
    /// height and channel count (UInt64 LE each), then every byte with colour LSBs cleared
    /// (alpha kept whole). Independent of the low bits, so marking does not change it; any
    /// visible edit does. Not keyed, and collision resistant (unlike the NH tag grid).
    /// ``MarkedImage/verify(key:maxPayloadLength:)`` computes it in the same pass as the tamper check.
    public static func artworkDigest(_ image: PixelBuffer) -> [UInt8] {
        DigestPass.run(image, nhKey: nil, mode: .simd).artwork
    }

    // MARK: internals

    static func openLayout(_ image: PixelBuffer, key: WatermarkKey, mode: KernelMode) throws(WatermarkError)
        -> (KeyedLayout, WatermarkHeader)
    {
        let marked = try MarkedImage(image, mode: mode)
        return (try marked.layout(key: key), marked.header)
    }

    static func extract(
        _ image: PixelBuffer, layout: KeyedLayout, header: WatermarkHeader, mode: KernelMode,
        maxPayloadLength: Int = .max
    ) throws(WatermarkError) -> ExtractedPayload {
        let metaCellChunks = (Layout.metaLength + Layout.cellBytes - 1) / Layout.cellBytes
        let (metaSlots, metaWhitening) = layout.payloadSlots(cellChunks: metaCellChunks)
        let metaStream = ChunkCodec.read(
            image, slots: metaSlots, whitening: metaWhitening, chunks: metaCellChunks * Layout.cellRows, mode: mode)
        let meta = try PayloadCodec.decodeMeta(metaStream.bytes, uncertain: metaStream.uncertain)
        guard meta.length <= layout.geometry.payloadCapacity else { throw .payloadUnrecoverable }
        guard meta.length <= maxPayloadLength else {
            throw .payloadTooLarge(needed: meta.length, available: maxPayloadLength)
        }
        let cellChunks = Layout.cellChunks(payload: meta.length)
        let (slots, whitening) = layout.payloadSlots(cellChunks: cellChunks)
        let stream = ChunkCodec.read(
            image, slots: slots, whitening: whitening, chunks: cellChunks * Layout.cellRows, mode: mode)
        let (payload, corrected) = try PayloadCodec.decodePayload(
            stream.bytes, uncertain: stream.uncertain, meta: meta, macKey: layout.macKey)
        return ExtractedPayload(payload: payload, header: header, correctedSymbols: meta.corrected + corrected)
    }
}

extension UInt32 {
    init(littleEndian bytes: [UInt8], at offset: Int) {
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[offset + i]) << (8 * i) }
        self = v
    }
}

extension UInt64 {
    init(littleEndian bytes: [UInt8], at offset: Int) {
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[offset + i]) << (8 * i) }
        self = v
    }
}
