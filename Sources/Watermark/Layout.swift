import Crypto
import ImageCore

/// Fixed parameters of format version 1. Changing any of them changes the format.
enum Layout {
    static let version: UInt8 = 1
    static let magic: [UInt8] = Array("CPMK".utf8)

    /// A segment is 16 pixels of one row (48 colour channels = 48 carrier bits).
    static let segmentPixels = 16
    static let segmentBits = 48
    /// Payload and header bytes carried by one segment.
    static let chunkBytes = 6
    /// A cell is 2 segments stacked vertically (16 x 2 pixels, 12 bytes); cells are the unit
    /// of allocation. Stacking lowers the PNG cost of a written bit versus lone rows, because
    /// PNG's Up filter makes a changed row cost again in the row below.
    static let cellRows = 2
    static let cellBytes = chunkBytes * cellRows

    /// Digest-grid block side; the last block column/row absorbs the remainder (up to 2B-1).
    static let blockSize = 64
    static let maxBlockSide = 2 * blockSize - 1
    /// NH key words per block row: (2B-1) RGBA pixels, padded to a multiple of 16 bytes.
    static let nhRowStrideWords = (maxBlockSide * 4 + 15) / 16 * 4
    static let nhKeyWords = nhRowStrideWords * maxBlockSide
    /// Bits of each block's tag, stored in that block's own LSBs.
    static let tagBits = 16

    /// Spread copies of every payload and header chunk, combined by per-bit majority.
    static let copies = 3

    /// Payload code: RS with 64 parity (t = 32), at most 191 data bytes per codeword.
    static let payloadParity = 64
    static let payloadMaxData = 255 - payloadParity
    /// Meta codeword: payload length (4) + payload MAC (8), RS parity 36: 48 bytes.
    static let metaData = 12
    static let metaParity = 36
    static let metaLength = metaData + metaParity
    /// Header: magic (4) version (1) fingerprint (8) key hint (4) nonce (8), RS parity 35:
    /// 60 bytes, 5 cell chunks, 15 cells with the copies.
    static let headerData = 25
    static let headerParity = 35
    static let headerLength = headerData + headerParity
    static let headerCellChunks = (headerLength + cellBytes - 1) / cellBytes
    static let headerChunks = headerCellChunks * cellRows
    static let headerCells = headerCellChunks * copies

    /// At most this fraction (1/2) of the free cells is used for payload, so keyed
    /// rejection sampling stays cheap.
    static func maxPayloadCells(freeCells: Int) -> Int { freeCells / 2 }

    /// Number of payload codewords for `length` payload bytes.
    static func codewordCount(_ length: Int) -> Int { (length + payloadMaxData - 1) / payloadMaxData }

    /// Bytes of the coded stream (meta + interleaved payload codewords) for `length` payload bytes.
    static func streamLength(payload length: Int) -> Int {
        metaLength + length + payloadParity * codewordCount(length)
    }

    /// 12-byte cell chunks of the stream for `length` payload bytes.
    static func cellChunks(payload length: Int) -> Int {
        (streamLength(payload: length) + cellBytes - 1) / cellBytes
    }

    /// Cells (all copies) needed for `length` payload bytes.
    static func cellsNeeded(payload length: Int) -> Int { cellChunks(payload: length) * copies }
}

/// The image geometry as the watermark sees it: segments and digest blocks.
struct Geometry: Sendable {
    let width: Int
    let height: Int
    let format: PixelFormat
    let channels: Int
    let rowBytes: Int
    let segmentsPerRow: Int
    let segmentCount: Int
    let cellBands: Int
    let cellCount: Int
    let blocksX: Int
    let blocksY: Int

    init(width: Int, height: Int, format: PixelFormat) {
        self.width = width
        self.height = height
        self.format = format
        channels = format.channels
        rowBytes = width * format.channels
        segmentsPerRow = width / Layout.segmentPixels
        segmentCount = segmentsPerRow * height
        cellBands = height / Layout.cellRows
        cellCount = segmentsPerRow * cellBands
        blocksX = max(1, width / Layout.blockSize)
        blocksY = max(1, height / Layout.blockSize)
    }

    init(_ image: PixelBuffer) {
        self.init(width: image.width, height: image.height, format: image.format)
    }

    var blockCount: Int { blocksX * blocksY }

    /// Cells not used by the header or the tags.
    var freeCells: Int { cellCount - Layout.headerCells - blockCount }

    /// Segment index of row `k` (0..<2) of cell `c`.
    @inline(__always) func cellSegment(_ c: Int, row k: Int) -> Int {
        ((c / segmentsPerRow) * Layout.cellRows + k) * segmentsPerRow + c % segmentsPerRow
    }

    /// Segment slots for chunks `0..<cells.count / copies * 2`: chunk `2q + k`, copy `r` is
    /// row `k` of cell `cells[q * copies + r]`, at slot index `(2q + k) * copies + r`.
    func segmentSlots(cells: [Int]) -> [Int] {
        let cellChunks = cells.count / Layout.copies
        var slots = [Int](repeating: 0, count: cells.count * Layout.cellRows)
        for q in 0..<cellChunks {
            for k in 0..<Layout.cellRows {
                for r in 0..<Layout.copies {
                    slots[(q * Layout.cellRows + k) * Layout.copies + r] = cellSegment(
                        cells[q * Layout.copies + r], row: k)
                }
            }
        }
        return slots
    }

    /// Byte offset of segment `s`.
    @inline(__always) func segmentOffset(_ s: Int) -> Int {
        (s / segmentsPerRow) * rowBytes + (s % segmentsPerRow) * Layout.segmentPixels * channels
    }

    @inline(__always) func blockRow(ofPixelRow y: Int) -> Int { min(y / Layout.blockSize, blocksY - 1) }

    @inline(__always) func blockColumnEnd(_ bx: Int) -> Int {
        bx == blocksX - 1 ? width : (bx + 1) * Layout.blockSize
    }

    @inline(__always) func blockRowEnd(_ by: Int) -> Int {
        by == blocksY - 1 ? height : (by + 1) * Layout.blockSize
    }

    func blockRect(_ index: Int) -> BlockRect {
        let bx = index % blocksX
        let by = index / blocksX
        let x0 = bx * Layout.blockSize
        let y0 = by * Layout.blockSize
        return BlockRect(x: x0, y: y0, width: blockColumnEnd(bx) - x0, height: blockRowEnd(by) - y0)
    }

    /// Whether the image can hold the header (with room to spare: at least 4 x 15 cells), one
    /// tag per block and the payload stream of an empty payload.
    var isUsable: Bool {
        segmentsPerRow >= 1 && cellBands >= 1 && cellCount >= 4 * Layout.headerCells
            && Layout.maxPayloadCells(freeCells: freeCells) >= Layout.cellsNeeded(payload: 0)
    }

    /// Largest payload (bytes) that fits.
    var payloadCapacity: Int {
        guard isUsable else { return 0 }
        let cells = Layout.maxPayloadCells(freeCells: freeCells)
        let streamBytes = cells / Layout.copies * Layout.cellBytes
        // Largest L with streamLength(L) <= streamBytes (streamLength is increasing in L).
        var lo = 0
        var hi = streamBytes
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Layout.streamLength(payload: mid) <= streamBytes { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}

/// A set of cell indices, used while sampling distinct positions.
struct SegmentSet {
    private var words: [UInt64]
    init(count: Int) { words = [UInt64](repeating: 0, count: (count + 63) / 64) }
    func contains(_ s: Int) -> Bool { words[s >> 6] & (1 << UInt64(s & 63)) != 0 }
    mutating func insert(_ s: Int) { words[s >> 6] |= 1 << UInt64(s & 63) }
}

/// Draws distinct cells uniformly from a keyed stream, skipping ones already taken.
/// Deterministic: the same key and taken-set give the same sequence, so a prefix can be re-read.
struct SlotSampler {
    var stream: CounterStream
    var taken: SegmentSet
    let segmentCount: Int

    mutating func next() -> Int {
        while true {
            let s = stream.next(below: segmentCount)
            if !taken.contains(s) {
                taken.insert(s)
                return s
            }
        }
    }
}

/// Everything keyed about one marked image: tag positions and the payload slot sequence.
struct KeyedLayout {
    let geometry: Geometry
    let header: HeaderLayout
    /// Segment holding each block's tag (one row of a cell reserved for it), and the tag's
    /// first carrier bit in it.
    let tagSegment: [Int]
    let tagShift: [Int]
    let tagKey: SymmetricKey
    let macKey: SymmetricKey
    let context: [UInt8]
    private let positionKey: SymmetricKey
    private let whiteningKey: SymmetricKey
    private let takenByTags: SegmentSet

    init(geometry g: Geometry, header: HeaderLayout, key: WatermarkKey, nonce: UInt64) throws(WatermarkError) {
        geometry = g
        self.header = header
        let context = KeySchedule.context(
            width: g.width, height: g.height, channels: header.contextChannels, nonce: nonce)
        self.context = context
        tagKey = KeySchedule.expand(key.prk, label: "tag", context: context)
        macKey = KeySchedule.expand(key.prk, label: "payload-mac", context: context)
        positionKey = KeySchedule.expand(key.prk, label: "payload-positions", context: context)
        whiteningKey = KeySchedule.expand(key.prk, label: "payload-whitening", context: context)

        var taken = SegmentSet(count: g.cellCount)
        for c in header.cells { taken.insert(c) }
        var stream = CounterStream(key: KeySchedule.expand(key.prk, label: "tag-positions", context: context))
        var segments = [Int](repeating: 0, count: g.blockCount)
        var shifts = [Int](repeating: 0, count: g.blockCount)
        for b in 0..<g.blockCount {
            let bx = b % g.blocksX
            let by = b / g.blocksX
            let col0 = bx * Layout.blockSize / Layout.segmentPixels
            let cols = g.blockColumnEnd(bx) / Layout.segmentPixels - col0
            let band0 = by * Layout.blockSize / Layout.cellRows
            let bands = min(g.cellBands, g.blockRowEnd(by) / Layout.cellRows) - band0
            guard cols > 0, bands > 0 else { throw .imageTooSmall(width: g.width, height: g.height) }
            var chosen = -1
            for _ in 0..<64 {
                let r = stream.next(below: bands * cols)
                let c = (band0 + r / cols) * g.segmentsPerRow + col0 + r % cols
                if !taken.contains(c) {
                    chosen = c
                    break
                }
            }
            if chosen < 0 {
                // Practically unreachable (a block almost entirely covered by header cells).
                throw .imageTooSmall(width: g.width, height: g.height)
            }
            taken.insert(chosen)
            segments[b] = g.cellSegment(chosen, row: stream.next(below: Layout.cellRows))
            shifts[b] = stream.next(below: Layout.segmentBits - Layout.tagBits + 1)
        }
        tagSegment = segments
        tagShift = shifts
        takenByTags = taken
    }

    /// Segment slots (`Geometry.segmentSlots`) and whitening words for the first `cellChunks`
    /// 12-byte cell chunks of the payload stream, all copies.
    func payloadSlots(cellChunks: Int) -> (slots: [Int], whitening: [UInt64]) {
        var sampler = SlotSampler(
            stream: CounterStream(key: positionKey), taken: takenByTags, segmentCount: geometry.cellCount)
        let cells = (0..<(cellChunks * Layout.copies)).map { _ in sampler.next() }
        let slots = geometry.segmentSlots(cells: cells)
        var ws = CounterStream(key: whiteningKey)
        return (slots, slots.map { _ in ws.nextSegmentWord() })
    }
}
