public import ImageCore

/// How a revealed coupon marks its edits: the union of the tampered blocks, traced as one
/// outline per connected region (blocks that share an edge form one region), instead of
/// a box around every block. Outlines lie inside the region, `lineWidth` pixels wide;
/// edges shared by two tampered blocks get no line, and a region with a hole is also
/// outlined along the hole.
///
/// The blocks are cut along every block edge into a grid of cells; a side of a covered
/// cell is drawn when the cell on the other side is not covered, and a concave corner
/// gets its corner square so that the line stays closed.
public struct TamperOutline: Sendable, Equatable {
    /// The rectangles to paint for each connected region, regions in reading order of their
    /// first cell.
    public let regions: [[Rect]]

    /// Every rectangle to paint, all regions together.
    public var strokes: [Rect] { regions.flatMap { $0 } }

    public init(blocks: [Rect], lineWidth: Int = 2) {
        let blocks = blocks.filter { !$0.isEmpty }
        let xs = Array(Set(blocks.flatMap { [$0.x, $0.maxX] })).sorted()
        let ys = Array(Set(blocks.flatMap { [$0.y, $0.maxY] })).sorted()
        let columns = max(0, xs.count - 1)
        let rows = max(0, ys.count - 1)
        var covered = [Bool](repeating: false, count: columns * rows)
        for block in blocks {
            let c0 = xs.firstIndex(of: block.x)!, c1 = xs.firstIndex(of: block.maxX)!
            let r0 = ys.firstIndex(of: block.y)!, r1 = ys.firstIndex(of: block.maxY)!
            for r in r0..<r1 {
                for c in c0..<c1 { covered[r * columns + c] = true }
            }
        }
        func isCovered(_ c: Int, _ r: Int) -> Bool {
            c >= 0 && r >= 0 && c < columns && r < rows && covered[r * columns + c]
        }

        var region = [Int](repeating: -1, count: covered.count)
        var regions: [[Rect]] = []
        for start in covered.indices where covered[start] && region[start] < 0 {
            // Flood fill over cells sharing an edge, collecting each cell's outline pieces.
            var strokes: [Rect] = []
            var stack = [start]
            region[start] = regions.count
            while let cell = stack.popLast() {
                let c = cell % columns, r = cell / columns
                let box = Rect(x: xs[c], y: ys[r], width: xs[c + 1] - xs[c], height: ys[r + 1] - ys[r])
                strokes += Self.pieces(of: box, lineWidth: lineWidth) { dc, dr in isCovered(c + dc, r + dr) }
                for (dc, dr) in [(0, -1), (-1, 0), (1, 0), (0, 1)] where isCovered(c + dc, r + dr) {
                    let next = (r + dr) * columns + c + dc
                    if region[next] < 0 {
                        region[next] = regions.count
                        stack.append(next)
                    }
                }
            }
            regions.append(strokes)
        }
        self.regions = regions
    }

    /// The outline pieces of one cell, given which neighbours (dc, dr) are covered.
    private static func pieces(of box: Rect, lineWidth: Int, covered: (Int, Int) -> Bool) -> [Rect] {
        let tx = min(lineWidth, box.width), ty = min(lineWidth, box.height)
        var out: [Rect] = []
        if !covered(0, -1) { out.append(Rect(x: box.x, y: box.y, width: box.width, height: ty)) }
        if !covered(0, 1) { out.append(Rect(x: box.x, y: box.maxY - ty, width: box.width, height: ty)) }
        if !covered(-1, 0) { out.append(Rect(x: box.x, y: box.y, width: tx, height: box.height)) }
        if !covered(1, 0) { out.append(Rect(x: box.maxX - tx, y: box.y, width: tx, height: box.height)) }
        // Concave corners: both sides covered, the diagonal not.
        for (dc, dr) in [(-1, -1), (1, -1), (-1, 1), (1, 1)]
        where covered(dc, 0) && covered(0, dr) && !covered(dc, dr) {
            let x = dc < 0 ? box.x : box.maxX - tx
            let y = dr < 0 ? box.y : box.maxY - ty
            out.append(Rect(x: x, y: y, width: tx, height: ty))
        }
        return out
    }
}
