import Crypto
import ImageCore

/// Keyed, error-coded, tamper-evident LSB watermarking of 8-bit RGB/RGBA pixel buffers.
///
/// # Design (format version 1)
///
/// **Carriers.** Only the least significant bit of colour channels is ever written (LSB
/// replacement: a channel moves by at most 1; alpha is never touched). A *segment* is 16
/// consecutive pixels of one row (48 colour channels = 48 bits = one 6-byte chunk); segment
/// columns start at x = 0 and a right-edge remainder narrower than 16 pixels carries nothing.
/// A *cell* is 2 segments stacked vertically (16 x 2 pixels, 12 bytes); cells are the unit of
/// allocation. Written bits therefore come in keyed runs of 48 channel bytes, two rows high;
/// untouched cells keep their original LSBs. (Measured with zlib: a lone random row run costs
/// ~5.5 bits per written LSB in an adaptively filtered PNG, because the Up filter charges it
/// again in the row below; 2-row runs ~4.5, 4-row runs ~4.1 but lose robustness of the short
/// codewords, see below.)
///
/// **Three disjoint layers**, allocated in this order so that none overlaps another:
/// 1. *Header* (public): cells and whitening from a public constant key and the image size
///    only. 25 bytes: magic `CPMK`, version, the key's 8-byte fingerprint (HKDF), the caller's
///    32-bit `keyHint`, a random 64-bit nonce; RS(60,25); 5 cell chunks x 3 copies = 15 cells.
///    Lets `extract` tell `.noWatermark` (no header) from `.wrongKey` (fingerprint differs).
/// 2. *Tag grid* (keyed): 64x64-pixel blocks, the last column/row of blocks absorbing the
///    remainder (blocks are 64...127 pixels a side; 72 blocks at 800x400). Each block's tag is
///    16 bits in its own LSBs: one row of a keyed cell inside the block, at a keyed bit offset.
///    Tag = HMAC-SHA256(tagKey, block index, rect, NH)[0..<2], where NH is UMAC's NH
///    (RFC 4418) over the block's bytes with colour LSBs cleared (alpha kept) under an
///    HKDF-derived key (a distinct key word per word position of the block): hash-then-PRF, as
///    UMAC does. An edit that changes any upper bit of a block changes its tag except with
///    probability ~2^-16. Block size trades map resolution for PNG size: 32x32 blocks cost
///    ~5.4 KB of PNG at 800x400 versus ~1.6 KB for 64x64 (`Layout.blockSize`).
/// 3. *Payload* (keyed): stream = meta codeword (payload length + 8-byte HMAC of the payload,
///    RS(48,12)) followed by the payload in RS codewords of at most 191 data + 64 parity
///    (t = 32 each, shortened evenly, byte-interleaved). The stream is cut into 12-byte cell
///    chunks; copy r of cell chunk q goes to the (q * 3 + r)-th cell drawn by a keyed sampler
///    (HMAC-SHA256 counter stream, distinct cells, at most half of the free cells), each
///    segment XOR-whitened with its own keyed 48-bit keystream word. The sampler is
///    prefix-stable, so the extractor decodes the meta codeword first, then reads the rest.
///
/// **Decoding.** Each 48-bit read is split into two 8-pixel halves; a half whose read LSBs are
/// (almost: at most 2 of 21 neighbour pairs differ) constant per channel was painted over and
/// is not counted. Copies are combined by per-bit majority over the remaining reads; a byte
/// with a tied bit (or no surviving copy) becomes a Reed-Solomon *erasure*. Errors-and-
/// erasures decoding (Berlekamp-Massey from the erasure locator, Chien, Forney) corrects
/// `2e + f <= parity`, with an errors-only retry. Measured worst case over 120 random
/// "quarter painted + 1% flips" trials at 800x400 / 512 B: 2e+f = 46 of 64 (payload),
/// 19 of 36 (meta). With 3 copies a cell chunk loses all copies with probability 1/64, which
/// is why the short header/meta codes carry >= 24 parity (two lost chunks).
///
/// **Keys.** `WatermarkKey` runs HKDF-Extract once; every sub-key is HKDF-Expand bound to its
/// label, the image size/format and the nonce. Streams are HMAC-SHA256 in counter mode.
/// No home-made primitives; NH is only a universal hash under HMAC. The *signed* artwork
/// digest is separate: SHA-256 over the masked pixels (`artworkDigest`), because a key holder
/// could forge NH collisions.
///
/// **Kernels** (`Kernels/`): the digest pass (NH), segment write (bit expansion + embed) and
/// segment read (gather + extract), each with a SIMD version and a scalar reference selected
/// by `KernelMode`.
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
    static func embed(
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
        return try readHeader(image, geometry: g, layout: HeaderLayout(g), mode: mode)
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
    public static func artworkDigest(_ image: PixelBuffer) -> [UInt8] {
        var hasher = SHA256()
        var prefix = Array("couponmark/artwork/v1".utf8)
        KeySchedule.appendLE(&prefix, UInt64(image.width))
        KeySchedule.appendLE(&prefix, UInt64(image.height))
        KeySchedule.appendLE(&prefix, UInt64(image.format.channels))
        hasher.update(data: prefix)
        let mask: UInt32 = image.format == .rgba8 ? 0xFFFE_FEFE : 0xFEFE_FEFE
        var scratch = [UInt8](repeating: 0, count: 1 << 16)
        image.bytes.withUnsafeBufferPointer { src in
            scratch.withUnsafeMutableBytes { dst in
                var start = 0
                while start < src.count {
                    let n = min(dst.count, src.count - start)
                    // Word-wise mask; every chunk start is a multiple of 4 and of the pixel size.
                    let words = n / 4
                    let s = UnsafeRawPointer(src.baseAddress! + start)
                    for w in 0..<words {
                        let v = s.loadUnaligned(fromByteOffset: w * 4, as: UInt32.self)
                        dst.storeBytes(of: v & mask, toByteOffset: w * 4, as: UInt32.self)
                    }
                    for j in (words * 4)..<n {
                        let isAlpha = image.format == .rgba8 && (start + j) % 4 == 3
                        dst[j] = isAlpha ? src[start + j] : src[start + j] & 0xFE
                    }
                    hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: dst[0..<n]))
                    start += n
                }
            }
        }
        return Array(hasher.finalize())
    }

    // MARK: internals

    static func readHeader(_ image: PixelBuffer, geometry g: Geometry, layout: HeaderLayout, mode: KernelMode)
        throws(WatermarkError) -> WatermarkHeader
    {
        let read = ChunkCodec.read(
            image, slots: layout.slots, whitening: layout.whitening, chunks: Layout.headerChunks, mode: mode)
        var stream = Array(read.bytes[0..<Layout.headerLength])
        let corrected: Int
        do {
            corrected = try ChunkCodec.decode(
                &stream, erasures: read.uncertain.filter { $0 < Layout.headerLength },
                code: ReedSolomon(parity: Layout.headerParity))
        } catch {
            throw .noWatermark
        }
        guard Array(stream[0..<4]) == Layout.magic else { throw .noWatermark }
        guard stream[4] == Layout.version else { throw .unsupportedVersion(stream[4]) }
        return WatermarkHeader(
            version: stream[4], keyFingerprint: Array(stream[5..<13]),
            keyHint: UInt32(littleEndian: stream, at: 13), nonce: UInt64(littleEndian: stream, at: 17),
            correctedSymbols: corrected)
    }

    static func openLayout(_ image: PixelBuffer, key: WatermarkKey, mode: KernelMode) throws(WatermarkError)
        -> (KeyedLayout, WatermarkHeader)
    {
        let g = Geometry(image)
        guard g.isUsable else { throw .noWatermark }
        let headerLayout = HeaderLayout(g)
        let header = try readHeader(image, geometry: g, layout: headerLayout, mode: mode)
        guard key.matches(fingerprint: header.keyFingerprint) else { throw .wrongKey(keyHint: header.keyHint) }
        return (try KeyedLayout(geometry: g, header: headerLayout, key: key, nonce: header.nonce), header)
    }

    static func extract(_ image: PixelBuffer, layout: KeyedLayout, header: WatermarkHeader, mode: KernelMode)
        throws(WatermarkError) -> ExtractedPayload
    {
        let metaCellChunks = (Layout.metaLength + Layout.cellBytes - 1) / Layout.cellBytes
        let (metaSlots, metaWhitening) = layout.payloadSlots(cellChunks: metaCellChunks)
        let metaStream = ChunkCodec.read(
            image, slots: metaSlots, whitening: metaWhitening, chunks: metaCellChunks * Layout.cellRows, mode: mode)
        let meta = try PayloadCodec.decodeMeta(metaStream.bytes, uncertain: metaStream.uncertain)
        guard meta.length <= layout.geometry.payloadCapacity else { throw .payloadUnrecoverable }
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
