import ImageCore

/// What the detector correlates: the luma's deviation from its 7 x 7 median (the median
/// follows edges and flat areas alike, so what is left is mostly the mark and noise),
/// passed through a redescending clip: deviations up to 4 levels are kept, larger ones
/// fade to 0 at 8, so text and edges, whose deviations are large, drop out instead of
/// drowning the mark.
///
/// The median is found for every other column: the pixels at `x` and `x + 1` (x even)
/// share the median of the window centred on `x`. Half the work, and the same survival on
/// the robustness trial (a median shared by 2 x 2 blocks, or a separable or 5 x 5 one,
/// lost copies at JPEG 50). It is exact within ``reach`` levels of the centre `c`
/// (`c - 16 ... c + 15`) and clamped to that range beyond: every pixel whose deviation
/// survives the clip (under 8 levels) is then exact, as are pixels whose deviation is 8
/// or more either way (both clip to 0), unless the two pixels of a pair differ by 8 levels
/// or more (an edge, where the mark is lost anyway).
///
/// The luma is rounded to whole levels first, so the SIMD kernel finds the median of 16
/// windows at once by a bitwise binary search over the 32 levels of the range: from the
/// top bit down, a candidate is kept when at most 24 of the 49 samples lie below it, five
/// rounds of 49 compares, no branches. It reads the even and odd columns as two planes, so
/// the 16 windows' samples at one offset are one vector load, stored offset by 128, so
/// one signed compare orders two bytes. The reference sorts each window and clamps its
/// median the same way. Beyond the edges the edge samples repeat.
enum Whitening {
    static let radius = 3
    static let side = 2 * radius + 1
    static let rank = side * side / 2
    static let keep: Float = 4
    /// The median is only needed within `reach` levels of the window's centre: see
    /// ``Whitening``.
    static let reach = 16

    static func whiten(_ luma: Plane, mode: KernelMode = .simd) -> Plane {
        let width = luma.width, height = luma.height, r = radius
        let pairs = (width + 1) / 2
        // Levels with `r` repeated edge samples on every side; each row has room for the
        // vector loads of the last 16 windows (16 + 3 columns of each plane past `pairs`).
        let stride = 2 * (pairs + 16 + 4)
        let padded = [UInt8](writing: stride * (height + 2 * r)) { p in
            luma.samples.withUnsafeBufferPointer { s in
                for y in 0..<height + 2 * r {
                    let source = min(max(y - r, 0), height - 1) * width, target = y * stride
                    LevelKernel.levels(
                        s.baseAddress! + source, count: width, into: p.baseAddress! + target + r, mode: mode)
                    for x in 0..<r { p[target + x] = p[target + r] }
                    for x in width + r..<stride { p[target + x] = p[target + r + width - 1] }
                }
            }
        }
        // medians[y * pairs + i]: the median of the window centred on (2i, y).
        var medians = [UInt8](repeating: 0, count: pairs * height + 16)
        switch mode {
        case .reference: referenceMedians(padded, stride: stride, width: width, height: height, into: &medians)
        case .simd: simdMedians(padded, stride: stride, width: width, height: height, into: &medians)
        }
        let deviations = [Float](writing: width * height) { o in
            padded.withUnsafeBufferPointer { p in
                medians.withUnsafeBufferPointer { m in
                    for y in 0..<height {
                        LevelKernel.clippedDeviations(
                            p.baseAddress! + (y + r) * stride + r, pairMedians: m.baseAddress! + y * pairs,
                            count: width, into: o.baseAddress! + y * width, mode: mode)
                    }
                }
            }
        }
        return Plane(width: width, height: height, samples: deviations)
    }

    static func referenceMedians(_ padded: [UInt8], stride: Int, width: Int, height: Int, into medians: inout [UInt8]) {
        let pairs = (width + 1) / 2
        var window = [UInt8](repeating: 0, count: side * side)
        for y in 0..<height {
            for i in 0..<pairs {
                for dy in 0..<side {
                    for dx in 0..<side { window[dy * side + dx] = padded[(y + dy) * stride + 2 * i + dx] }
                }
                window.sort()
                let centre = Int(padded[(y + radius) * stride + 2 * i + radius])
                let low = max(centre, reach) - reach, high = min(low + 2 * reach - 1, 255)
                medians[y * pairs + i] = UInt8(min(max(Int(window[rank]), low), high))
            }
        }
    }

    static func simdMedians(_ padded: [UInt8], stride: Int, width: Int, height: Int, into medians: inout [UInt8]) {
        let pairs = (width + 1) / 2, half = stride / 2, rows = height + 2 * radius
        // Even and odd columns apart, each byte offset by 128 (as Int8, signed order is the
        // unsigned order of the levels).
        let planes = [Int8](writing: 2 * half * rows) { q in
            padded.withUnsafeBufferPointer { p in
                let from = UnsafeRawPointer(p.baseAddress!), to = UnsafeMutableRawPointer(q.baseAddress!)
                let low = SIMD8<UInt16>(repeating: 0xFF), flip = SIMD16<UInt8>(repeating: 0x80)
                for y in 0..<rows {
                    let even = (2 &* y) &* half, odd = even &+ half, source = y &* stride
                    var i = 0
                    // 16 pairs at a time: a pair is one 16-bit lane, its even byte the low one.
                    while i &+ 16 <= half {
                        let a = from.loadUnaligned(fromByteOffset: source &+ 2 &* i, as: SIMD8<UInt16>.self)
                        let b = from.loadUnaligned(fromByteOffset: source &+ 2 &* i &+ 16, as: SIMD8<UInt16>.self)
                        // (This generic narrowing is inlined here; `objdump` checks.)
                        let evens = SIMD16<UInt8>(
                            truncatingIfNeeded: SIMD16<UInt16>(lowHalf: a & low, highHalf: b & low))
                        let odds = SIMD16<UInt8>(
                            truncatingIfNeeded: SIMD16<UInt16>(lowHalf: a &>> 8, highHalf: b &>> 8))
                        to.storeBytes(of: evens ^ flip, toByteOffset: even &+ i, as: SIMD16<UInt8>.self)
                        to.storeBytes(of: odds ^ flip, toByteOffset: odd &+ i, as: SIMD16<UInt8>.self)
                        i &+= 16
                    }
                    while i < half {
                        q[even &+ i] = Int8(bitPattern: p[source &+ 2 &* i] ^ 0x80)
                        q[odd &+ i] = Int8(bitPattern: p[source &+ 2 &* i &+ 1] ^ 0x80)
                        i &+= 1
                    }
                }
            }
        }
        let zero = SIMD16<Int8>(repeating: 0)
        let limit = SIMD16<Int8>(repeating: Int8(rank))
        planes.withUnsafeBytes { q in
            medians.withUnsafeMutableBytes { out in
                for y in 0..<height {
                    var i = 0
                    while i < pairs {
                        // The window's centre, and the lowest level of its range.
                        let centreAt = (2 &* (y &+ radius)) &* half &+ i &+ 1 &+ half
                        let centre = unsafeBitCast(
                            q.loadUnaligned(fromByteOffset: centreAt, as: SIMD16<Int8>.self), to: SIMD16<UInt8>.self)
                            ^ SIMD16(repeating: 0x80)
                        // Compares and selects: `pointwiseMin` and `pointwiseMax` are calls here.
                        let reachLevel = SIMD16<UInt8>(repeating: UInt8(reach))
                        let low = centre.replacing(with: reachLevel, where: centre .< reachLevel) &- reachLevel
                        let room = SIMD16<UInt8>(repeating: 255) &- low
                        var offset = SIMD16<UInt8>(repeating: 0)
                        var bit = UInt8(reach)
                        while bit != 0 {
                            let step = offset | SIMD16(repeating: bit)
                            let level = low &+ step.replacing(with: room, where: room .< step)
                            // Samples at or above the candidate are those above it less one (the
                            // level is at least 1): `v > threshold` leaves the compare's result in
                            // the freshly loaded register, with no copy of the candidate first.
                            let threshold = unsafeBitCast(
                                (level &- 1) ^ SIMD16(repeating: 0x80), to: SIMD16<Int8>.self)
                            // Two counts, even and odd columns, so that the subtractions form two
                            // dependency chains of 28 and 21 rather than one of 49 (four counts
                            // measured slower).
                            var evenCount = zero, oddCount = zero
                            for dy in 0..<side {
                                // Window column 2k is even plane column i + k, 2k + 1 odd plane column i + k.
                                let even = (2 &* (y &+ dy)) &* half &+ i, odd = even &+ half
                                for k in 0..<4 {
                                    let v = q.loadUnaligned(fromByteOffset: even &+ k, as: SIMD16<Int8>.self)
                                    evenCount &-= Self.lanes(v .> threshold)
                                }
                                for k in 0..<3 {
                                    let v = q.loadUnaligned(fromByteOffset: odd &+ k, as: SIMD16<Int8>.self)
                                    oddCount &-= Self.lanes(v .> threshold)
                                }
                            }
                            let atLeast = evenCount &+ oddCount
                            // At most 24 below: at least 25 at or above.
                            offset.replace(with: offset | SIMD16(repeating: bit), where: atLeast .> limit)
                            bit >>= 1
                        }
                        let median = low &+ offset.replacing(with: room, where: room .< offset)
                        // `medians` has 16 spare bytes at its end; lanes past `pairs` are
                        // overwritten by the next row's first vector.
                        out.storeBytes(of: median, toByteOffset: y &* pairs &+ i, as: SIMD16<UInt8>.self)
                        i &+= 16
                    }
                }
            }
        }
    }

    /// A mask's lanes as integers: -1 where it is true, 0 where not (its storage). Counting
    /// with `count &-= lanes(mask)` is one compare and one subtract per vector; a select of
    /// 1 or 0 compiles to a blend of three more instructions.
    @inline(__always)
    static func lanes(_ mask: SIMDMask<SIMD16<Int8>>) -> SIMD16<Int8> {
        unsafeBitCast(mask, to: SIMD16<Int8>.self)
    }

    @inline(__always)
    static func clip(_ d: Float) -> Float {
        let a = abs(d)
        if a <= keep { return d }
        return a >= 2 * keep ? 0 : (d < 0 ? -(2 * keep - a) : 2 * keep - a)
    }
}
