/// What a key decides about the tile: each cell's chip, which cells are pilots, and which
/// coded bit each data cell carries. Derived once per key (HKDF-SHA256) and shared by the
/// embedder and the detector.
struct RobustPlan: Sendable {
    /// +1 or -1 for each of the tile's cells (row-major).
    let chips: [Float]
    /// The pilot cells, ascending.
    let pilots: [Int]
    /// The data cells, ascending.
    let dataCells: [Int]
    /// For each data cell (in `dataCells` order), the coded bit it carries.
    let codedBitOfDataCell: [Int]

    /// The plan of the key behind `derive` (`derive(info, count)`: `count` bytes derived for
    /// the purpose `info`; ``RobustKey`` derives its plan once, when it is made).
    init(derive: (String, Int) -> [UInt8]) {
        let cells = RobustLayout.cellsPerTile
        let chipBytes = derive("couponmark robust v1 chips", (cells + 7) / 8)
        chips = chipBytes.bits(count: cells).map { $0 == 1 ? 1 : -1 }
        var random = KeyedIndices(derive("couponmark robust v1 cells", 4 * (cells + RobustLayout.dataCount)))
        let order = random.permutation(cells)
        pilots = order.prefix(RobustLayout.pilotCount).sorted()
        dataCells = order.dropFirst(RobustLayout.pilotCount).sorted()
        codedBitOfDataCell = random.permutation(RobustLayout.dataCount).map { $0 % RobustLayout.codedBits }
    }

    /// Each cell's sign for a payload: the chip, times the coded bit (1: +1, 0: -1) on data cells.
    func cellSigns(coded: [UInt8]) -> [Float] {
        var signs = chips
        for (k, cell) in dataCells.enumerated() where coded[codedBitOfDataCell[k]] == 0 {
            signs[cell] = -signs[cell]
        }
        return signs
    }
}

/// Uniform indices drawn from derived key bytes, 4 bytes each, for keyed shuffles
/// (Fisher-Yates). The modulo bias of a 32-bit draw over at most 576 values is below
/// 2^-22, and it only shapes which cells are pilots: nothing secret depends on it.
struct KeyedIndices {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func next(below bound: Int) -> Int {
        precondition(offset + 4 <= bytes.count, "derived bytes exhausted")
        let value = bytes[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        offset += 4
        return Int(value % UInt32(bound))
    }

    /// A keyed permutation of 0..<count.
    mutating func permutation(_ count: Int) -> [Int] {
        var items = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) {
            items.swapAt(i, next(below: i + 1))
        }
        return items
    }
}
