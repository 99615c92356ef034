import Foundation

/// The tile grid as a picture shows it: `a`, the tile's top side, and `b`, its left side,
/// as vectors in the whitened frame's pixels. An untouched frame shows `a = (96, 0)` and
/// `b = (0, 96)` (``RobustLayout/detectionTile``); a coupon pasted into a larger canvas
/// shows shorter sides, a squeezed one unequal sides, a rotated one tilted sides. Where the
/// tile starts is not part of it: the pilots find that.
///
/// Read from the peaks of the whitened frame's ``Autocorrelation``: the strongest local
/// maxima away from lag 0, paired into a side near the horizontal and one near the
/// vertical whose lengths and angle a coupon's travels allow (rotated up to
/// ``maxTilt``, sides in a ratio up to ``maxSideRatio``, kept near square), and scored by
/// the autocorrelation at `a`, `b`, `a + b` and `a - b`: a lattice has all four, the
/// picture's own repeats (text lines, a pattern) rarely do.
struct TileLattice: Sendable, Equatable {
    var a: SIMD2<Double>
    var b: SIMD2<Double>
    /// The sum of the autocorrelation at `a`, `b`, `a + b` and `a - b`.
    var strength: Double

    /// The shortest tile side looked for, in frame pixels: a coupon whose tile is this short
    /// fills 1/8 of a frame's shorter side (a cell is under 1 pixel there).
    static let minSide = 20.0
    /// The shortest tile side looked for, in the picture's own pixels: a tile under 40 has
    /// cells under 1.7 pixels, which no copy keeps readable, and a JPEG's 8-pixel blocks
    /// repeat at 16, 24 and 32 pixels, a lattice of their own that would crowd out the
    /// mark's in a small picture's frame (which is the picture enlarged).
    static let minPictureSide = 40.0
    /// The shortest tile side looked for, over the square root of the frame's area: a 2:1
    /// coupon covering an eighth of the picture (a phone screenshot with the coupon at 80 %
    /// of the screen's width covers 15 %) has a tile side of 0.13 of it. Shorter lattices
    /// are the picture's own repeats, and a large JPEG's blocks, aliased by the frame's
    /// downsampling.
    static let minAreaSide = 0.12
    /// How far a side may tilt from its axis: 5 degrees of rotation, plus the shear an
    /// aspect change after a rotation adds.
    static let maxTilt = 8.0 * Double.pi / 180
    /// How far from a right angle the two sides may be.
    static let maxSkew = 10.0 * Double.pi / 180
    /// The longer side over the shorter: an aspect change of 20 % either way (1.25), and room.
    static let maxSideRatio = 1.3
    /// Autocorrelation peaks considered.
    static let peakCount = 48

    var determinant: Double { a.x * b.y - a.y * b.x }
    /// The sides' tilt from their axes (radians; positive when `a` turns towards +y).
    var rotation: Double { atan2(a.y, a.x) }

    /// Whether the sides lie on the axes closely enough that folding along the axes keeps
    /// the grid within a pixel over ``RobustLayout/maxAspectRatio`` tiles.
    var isAxisAligned: Bool {
        abs(a.y) / a.x < 0.0025 && abs(b.x) / b.y < 0.0025
    }

    /// Whether this is the grid of a frame as it was marked (within half a pixel a side),
    /// which the whole-frame fold reads.
    var isWholeFrame: Bool {
        let tile = Double(RobustLayout.detectionTile)
        return isAxisAligned && abs(a.x - tile) < 0.5 && abs(b.y - tile) < 0.5
    }

    /// Up to `limit` lattices the whitened frame may show, strongest first; the frame is the
    /// picture scaled by `frameFactor`.
    static func candidates(
        _ whitened: Plane, frameFactor: Double, limit: Int = 3, correlation: Autocorrelation? = nil
    ) -> [TileLattice] {
        let correlation = correlation ?? Autocorrelation(whitened)
        let bounds = SIMD2(0.85 * Double(whitened.width), 0.85 * Double(whitened.height))
        let area = Double(whitened.width * whitened.height).squareRoot()
        let shortest = max(minSide, minPictureSide * frameFactor, minAreaSide * area)
        let peaks = Self.peaks(correlation, maxX: Int(bounds.x), maxY: Int(bounds.y), minSide: shortest)
        // Each peak stands for its negative too (an autocorrelation is symmetric).
        let lags = peaks.flatMap { [$0, -$0] }
        let horizontal = lags.filter { $0.x > 0 && abs(atan2($0.y, $0.x)) <= maxTilt }
        let vertical = lags.filter { $0.y > 0 && abs(atan2($0.x, $0.y)) <= maxTilt }
        // Each strong side is paired with the best side the autocorrelation has where a
        // tile's other side can be (the other side's own peak is often weaker: a coupon in a
        // canvas has fewer tiles down than across, and the picture's own lines compete).
        var found: [TileLattice] = []
        for a in horizontal.prefix(partners) {
            if let b = bestPartner(of: a, turned: SIMD2(-a.y, a.x), correlation, bounds: bounds, minSide: shortest) {
                found.append(.scored(a: a, b: b, correlation))
            }
        }
        for b in vertical.prefix(partners) {
            if let a = bestPartner(of: b, turned: SIMD2(b.y, -b.x), correlation, bounds: bounds, minSide: shortest) {
                found.append(.scored(a: a, b: b, correlation))
            }
        }
        found.sort { $0.strength > $1.strength }
        var kept: [TileLattice] = []
        for lattice in found where !kept.contains(where: { $0.isNear(lattice) }) {
            kept.append(lattice)
            if kept.count == limit { break }
        }
        var refined = kept.map { $0.refined(correlation, bounds: bounds) }
        // The strongest lattice, when nearly square, is tried as a square too, right after
        // itself: see `squared`.
        if let first = refined.first, let square = first.squared(correlation) { refined.insert(square, at: 1) }
        return refined
    }

    /// The square lattice on this one's stronger side (the other side its quarter turn),
    /// when the two sides are within 8 % in length and 3 degrees of a right angle and the
    /// square differs from this lattice; else nil. Most copies keep the tile square, and a
    /// coupon two tiles tall in a larger picture places its fainter side's peak a few
    /// percent short and a few tenths of a degree off (the autocorrelation of the coupon's
    /// finite extent tilts the peak towards lag 0), which over ten tiles of a phone
    /// screenshot is two cells.
    func squared(_ c: Autocorrelation) -> TileLattice? {
        let la = (a * a).sum().squareRoot(), lb = (b * b).sum().squareRoot()
        let cosine = (a * b).sum() / (la * lb)
        guard abs(la / lb - 1) < 0.08, abs(cosine) < sin(3 * Double.pi / 180) else { return nil }
        let square =
            c.value(at: a) >= c.value(at: b)
            ? TileLattice(a: a, b: SIMD2(-a.y, a.x), strength: strength)
            : TileLattice(a: SIMD2(b.y, -b.x), b: b, strength: strength)
        return square.isNear(self, within: 0.25) ? nil : square
    }

    /// How much longer `a` is than `b` when the two are within 8 % of each other (a tile
    /// that may really be square: the side whose peak is fainter, as the shorter extent of
    /// a coupon two tiles tall makes it, is found a few percent short), else nil.
    var nearSquareRatio: Double? {
        let la = (a * a).sum().squareRoot(), lb = (b * b).sum().squareRoot()
        let ratio = la / lb
        return abs(ratio - 1) < 0.08 && abs(ratio - 1) > 0.002 ? ratio : nil
    }

    /// Strong sides each paired with its best partner.
    static let partners = 10

    /// The lattice of sides `a` and `b`, scored by the autocorrelation at `a`, `b`, `a + b`
    /// and `a - b`.
    static func scored(a: SIMD2<Double>, b: SIMD2<Double>, _ correlation: Autocorrelation) -> TileLattice {
        TileLattice(
            a: a, b: b,
            strength: correlation.value(at: a) + correlation.value(at: b) + correlation.value(at: a + b)
                + correlation.value(at: a - b))
    }

    /// The lag, among those a tile's other side can be (within ``maxSideRatio`` of
    /// `side`'s length and ``maxSkew`` of `turned`, its quarter turn), where the
    /// autocorrelation at it, at `side + it` and at `side - it` add up highest, at its
    /// sub-pixel position.
    static func bestPartner(
        of side: SIMD2<Double>, turned: SIMD2<Double>, _ c: Autocorrelation, bounds: SIMD2<Double>, minSide: Double
    ) -> SIMD2<Double>? {
        let length = (side * side).sum().squareRoot()
        let (low, high) = (length / maxSideRatio, length * maxSideRatio)
        // The box around the sector the partner can lie in: its corners and the points of
        // its arcs at every quarter of its angle.
        let direction = turned / (turned * turned).sum().squareRoot()
        var lowCorner = SIMD2(Double.infinity, .infinity), highCorner = -lowCorner
        for step in -2...2 {
            let angle = Double(step) / 2 * maxSkew
            let ray = SIMD2(
                direction.x * cos(angle) - direction.y * sin(angle), direction.x * sin(angle) + direction.y * cos(angle))
            for radius in [low, high] {
                lowCorner = pointwiseMin(lowCorner, ray * radius)
                highCorner = pointwiseMax(highCorner, ray * radius)
            }
        }
        let lowX = Int(lowCorner.x.rounded(.down)) - 1, highX = Int(highCorner.x.rounded(.up)) + 1
        let lowY = Int(lowCorner.y.rounded(.down)) - 1, highY = Int(highCorner.y.rounded(.up)) + 1
        var best: (value: Float, x: Int, y: Int)?
        for y in lowY...highY {
            for x in lowX...highX {
                let lag = SIMD2(Double(x), Double(y))
                let l = (lag * lag).sum().squareRoot()
                guard l >= low, l <= high, l >= minSide, abs(lag.x) <= bounds.x, abs(lag.y) <= bounds.y,
                    (lag * turned).sum() >= cos(maxSkew) * l * length
                else { continue }
                let sx = Int(side.x.rounded()), sy = Int(side.y.rounded())
                let v = c[x, y] + c[x + sx, y + sy] + c[x - sx, y - sy]
                if v > best?.value ?? -.infinity { best = (v, x, y) }
            }
        }
        guard let best else { return nil }
        return Self.subpixel(c, best.x, best.y)
    }

    /// The peak at whole lag `(x, y)` at its sub-pixel position: a parabola through it and
    /// its neighbours on each axis.
    static func subpixel(_ c: Autocorrelation, _ x: Int, _ y: Int) -> SIMD2<Double> {
        let offset = { (before: Float, centre: Float, after: Float) -> Double in
            let curvature = before - 2 * centre + after
            return curvature < 0 ? min(max(Double(0.5 * (before - after) / curvature), -0.5), 0.5) : 0
        }
        return SIMD2(
            Double(x) + offset(c[x - 1, y], c[x, y], c[x + 1, y]),
            Double(y) + offset(c[x, y - 1], c[x, y], c[x, y + 1]))
    }

    /// The lattice fitted (least squares, each point weighted by its peak's height) to the
    /// peaks found near its points `n a + m b` up to twice each side: a point two tiles out
    /// halves the error of one tile out.
    func refined(_ c: Autocorrelation, bounds: SIMD2<Double>) -> TileLattice {
        var nn = 0.0, nm = 0.0, mm = 0.0
        var np = SIMD2<Double>.zero, mp = SIMD2<Double>.zero
        for (n, m) in [(1, 0), (0, 1), (1, 1), (1, -1), (2, 0), (0, 2), (2, 1), (1, 2), (2, -1), (-1, 2)] {
            let predicted = Double(n) * a + Double(m) * b
            guard abs(predicted.x) <= bounds.x, abs(predicted.y) <= bounds.y else { continue }
            // The highest lag within 2 of the prediction.
            var peak = (value: -Float.infinity, x: 0, y: 0)
            let (px, py) = (Int(predicted.x.rounded()), Int(predicted.y.rounded()))
            for y in py - 2...py + 2 {
                for x in px - 2...px + 2 where c[x, y] > peak.value { peak = (c[x, y], x, y) }
            }
            guard peak.value > 0 else { continue }
            let point = Self.subpixel(c, peak.x, peak.y)
            let w = Double(peak.value)
            nn += w * Double(n * n)
            nm += w * Double(n * m)
            mm += w * Double(m * m)
            np += w * Double(n) * point
            mp += w * Double(m) * point
        }
        let det = nn * mm - nm * nm
        guard det > 1e-9 else { return self }
        let fittedA = (mm * np - nm * mp) / det, fittedB = (nn * mp - nm * np) / det
        // A fit that moved a side by more than a pixel followed some other peak: keep the
        // lattice as found.
        guard ((fittedA - a) * (fittedA - a)).sum() < 1, ((fittedB - b) * (fittedB - b)).sum() < 1 else { return self }
        return TileLattice(a: fittedA, b: fittedB, strength: strength)
    }

    func isNear(_ other: TileLattice, within distance: Double = 2) -> Bool {
        let da = a - other.a, db = b - other.b
        return (da * da).sum() < distance * distance && (db * db).sum() < distance * distance
    }

    /// The ``peakCount`` highest local maxima (over their 8 neighbours) of the upper half
    /// of the lags, at least `minSide` from lag 0 and within `maxX` and `maxY`, each at
    /// its sub-pixel position (a parabola through it and its neighbours on each axis).
    static func peaks(_ c: Autocorrelation, maxX: Int, maxY: Int, minSide: Double = minSide) -> [SIMD2<Double>] {
        var top: [(value: Float, x: Int, y: Int)] = []
        top.reserveCapacity(peakCount + 1)
        let minSquared = Int(minSide * minSide)
        let spanX = min(maxX, c.width / 2 - 2), spanY = min(maxY, c.height / 2 - 2)
        guard spanX > 0, spanY > 0 else { return [] }
        // Three unwrapped rows of lags -spanX - 1 ... spanX + 1, so that the scan needs no modulo.
        let rowLength = 2 * spanX + 3
        var rows = [Float](repeating: 0, count: 3 * rowLength)
        rows.withUnsafeMutableBufferPointer { buffer in
            let rows = buffer.baseAddress!
            c.values.withUnsafeBufferPointer { values in
                let unwrap = { (dy: Int, slot: Int) in
                    let source = values.baseAddress! + ((dy + c.height) % c.height) * c.width
                    let target = rows + slot * rowLength
                    for k in 0..<rowLength { target[k] = source[(k - spanX - 1 + c.width) % c.width] }
                }
                unwrap(-1, 2)
                unwrap(0, 0)
                for dy in 0...spanY {
                    unwrap(dy + 1, (dy + 1) % 3)
                    let above = rows + ((dy + 2) % 3) * rowLength
                    let centre = rows + (dy % 3) * rowLength
                    let below = rows + ((dy + 1) % 3) * rowLength
                    for k in 1..<rowLength - 1 {
                        let v = centre[k]
                        if top.count == peakCount, v <= top[peakCount - 1].value { continue }
                        let dx = k - spanX - 1
                        guard dy > 0 || dx > 0, dx * dx + dy * dy >= minSquared,
                            v > centre[k - 1], v >= centre[k + 1], v > above[k - 1], v > above[k], v > above[k + 1],
                            v >= below[k - 1], v >= below[k], v >= below[k + 1]
                        else { continue }
                        let at = top.firstIndex { $0.value < v } ?? top.count
                        top.insert((v, dx, dy), at: at)
                        if top.count > peakCount { top.removeLast() }
                    }
                }
            }
        }
        return top.map { Self.subpixel(c, $0.x, $0.y) }
    }
}
