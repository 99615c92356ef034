import ImageCore

/// Header positions: from the public key, the image size and the context's channel number
/// only, so anyone can find them. No alpha value is ever read.
///
/// The key schedule's context names a channel number. New marks name 3, the colour channels,
/// for RGB and RGBA alike: an RGBA mark and its flattened copy (alpha 255, or decoded as
/// RGB) share one layout, and opaque RGB marks are what they always were. RGBA marks made
/// before this rule named 4; a reader that finds no header under 3 tries 4
/// (``HeaderLayout/find(in:geometry:mode:)``), so those still read, flattened or not.
struct HeaderLayout {
    /// The channel number every new mark's context names: the colour channels.
    static let colourChannels: UInt8 = 3
    /// The channel number RGBA marks made before the colour-channel rule named.
    static let legacyRGBAChannels: UInt8 = 4

    /// The channel number of this layout's key-schedule context (the keyed layout uses it too).
    let contextChannels: UInt8
    /// Header cells, and the segment slots derived from them (`Geometry.segmentSlots`).
    let cells: [Int]
    let slots: [Int]
    let whitening: [UInt64]

    init(_ g: Geometry, contextChannels: UInt8 = colourChannels) {
        self.contextChannels = contextChannels
        let context = KeySchedule.context(width: g.width, height: g.height, channels: contextChannels, nonce: 0)
        var sampler = SlotSampler(
            stream: CounterStream(
                key: KeySchedule.expand(KeySchedule.publicKey, label: "header-positions", context: context)),
            taken: SegmentSet(count: g.cellCount), segmentCount: g.cellCount)
        cells = (0..<Layout.headerCells).map { _ in sampler.next() }
        slots = g.segmentSlots(cells: cells)
        var ws = CounterStream(
            key: KeySchedule.expand(KeySchedule.publicKey, label: "header-whitening", context: context))
        whitening = slots.map { _ in ws.nextSegmentWord() }
    }

    /// Reads the header under the colour-channel context, else under the legacy RGBA one.
    /// Throws `.noWatermark` when neither holds a header, `.unsupportedVersion` for an
    /// unknown format.
    static func find(in image: PixelBuffer, geometry g: Geometry, mode: KernelMode) throws(WatermarkError)
        -> (layout: HeaderLayout, header: WatermarkHeader)
    {
        let layout = HeaderLayout(g)
        do throws(WatermarkError) {
            return (layout, try layout.read(image, mode: mode))
        } catch {
            guard error == .noWatermark else { throw error }
        }
        let legacy = HeaderLayout(g, contextChannels: legacyRGBAChannels)
        return (legacy, try legacy.read(image, mode: mode))
    }

    /// Decodes the header at this layout's cells: `.noWatermark` when it does not decode or
    /// holds another magic, `.unsupportedVersion` for another version.
    func read(_ image: PixelBuffer, mode: KernelMode) throws(WatermarkError) -> WatermarkHeader {
        let read = ChunkCodec.read(image, slots: slots, whitening: whitening, chunks: Layout.headerChunks, mode: mode)
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
}
