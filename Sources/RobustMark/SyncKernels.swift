import ImageCore

/// The detector's hot loops, each as a SIMD kernel beside its scalar reference (the same
/// arithmetic in the same order per element, so the two agree bit for bit).
enum SyncKernels {
    /// The fold filtered with the cell's matched filter, a separable 4x4 sin^2 bump:
    /// `out[y][x] = sum_a bump[a] * (sum_b bump[b] * fold[y+a][x+b])`, indices wrapping
    /// around the tile. Every sub-cell phase's cell sums are then samples of `out`.
    static func bumpFilter(_ fold: [Float], into out: inout [Float], mode: KernelMode) {
        let side = TileFold.side, c = RobustLayout.detectionCell
        precondition(fold.count == side * side && out.count == side * side && side % 8 == 0)
        let bump = PilotSync.bump
        // Horizontal pass into rows extended by c - 1 wrapped samples, so the vertical pass
        // and the SIMD loads never wrap.
        var horizontal = [Float](repeating: 0, count: (side + c) * side)
        var extended = [Float](repeating: 0, count: side + 8)  // one row and its wrap, reused
        fold.withUnsafeBufferPointer { f in
            horizontal.withUnsafeMutableBufferPointer { h in
                for y in 0..<side {
                    let row = y &* side
                    switch mode {
                    case .reference:
                        for x in 0..<side {
                            var s: Float = 0
                            for b in 0..<c { s += bump[b] * f[row &+ (x &+ b) % side] }
                            h[row &+ x] = s
                        }
                    case .simd:
                        for x in 0..<side + 8 { extended[x] = f[row &+ x % side] }
                        extended.withUnsafeBytes { e in
                            for x in stride(from: 0, to: side, by: 8) {
                                var s = SIMD8<Float>(repeating: 0)
                                for b in 0..<c {
                                    s += SIMD8(repeating: bump[b])
                                        * e.loadUnaligned(fromByteOffset: (x &+ b) &* 4, as: SIMD8<Float>.self)
                                }
                                for lane in 0..<8 { h[row &+ x &+ lane] = s[lane] }
                            }
                        }
                    }
                }
                // Rows side..<side+c repeat the first rows.
                for y in 0..<c { for x in 0..<side { h[(side &+ y) &* side &+ x] = h[y &* side &+ x] } }
            }
        }
        horizontal.withUnsafeBufferPointer { h in
            out.withUnsafeMutableBufferPointer { o in
                switch mode {
                case .reference:
                    for y in 0..<side {
                        for x in 0..<side {
                            var s: Float = 0
                            for a in 0..<c { s += bump[a] * h[(y &+ a) &* side &+ x] }
                            o[y &* side &+ x] = s
                        }
                    }
                case .simd:
                    let raw = UnsafeRawPointer(h.baseAddress!)
                    for y in 0..<side {
                        for x in stride(from: 0, to: side, by: 8) {
                            var s = SIMD8<Float>(repeating: 0)
                            for a in 0..<c {
                                s += SIMD8(repeating: bump[a])
                                    * raw.loadUnaligned(fromByteOffset: ((y &+ a) &* side &+ x) &* 4, as: SIMD8<Float>.self)
                            }
                            for lane in 0..<8 { o[y &* side &+ x &+ lane] = s[lane] }
                        }
                    }
                }
            }
        }
    }

    /// `scores[di * n + dj] = sum over pilots k of chip_k * wrapped[row_k + di][column_k + dj]`,
    /// `wrapped` being the n x n cell sums repeated to 2n x 2n. Per pilot and shift row, one
    /// run of n multiply-adds over a contiguous row (n = 24: three `SIMD8<Float>`).
    static func correlate(_ wrapped: [Float], taps: PilotSync.Taps, into scores: inout [Float], mode: KernelMode) {
        let n = RobustLayout.tileCells, stride = 2 * n
        precondition(wrapped.count == stride * stride && scores.count == n * n && n % 8 == 0)
        precondition(n == 24)
        scores.withUnsafeMutableBufferPointer { out in
            out.update(repeating: 0)
            wrapped.withUnsafeBufferPointer { w in
                switch mode {
                case .reference:
                    for k in 0..<taps.chips.count {
                        let chip = taps.chips[k]
                        for di in 0..<n {
                            let source = (taps.rows[k] &+ di) &* stride &+ taps.columns[k]
                            for dj in 0..<n { out[di &* n &+ dj] += chip * w[source &+ dj] }
                        }
                    }
                case .simd:
                    // One shift row at a time, its 24 sums in three registers across all
                    // pilots (each sum still adds the pilots in order).
                    let raw = UnsafeRawPointer(w.baseAddress!)
                    for di in 0..<n {
                        var (s0, s1, s2) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
                        for k in 0..<taps.chips.count {
                            let chip = SIMD8<Float>(repeating: taps.chips[k])
                            let source = ((taps.rows[k] &+ di) &* stride &+ taps.columns[k]) &* 4
                            s0 = s0 + chip * raw.loadUnaligned(fromByteOffset: source, as: SIMD8<Float>.self)
                            s1 = s1 + chip * raw.loadUnaligned(fromByteOffset: source &+ 32, as: SIMD8<Float>.self)
                            s2 = s2 + chip * raw.loadUnaligned(fromByteOffset: source &+ 64, as: SIMD8<Float>.self)
                        }
                        let to = UnsafeMutableRawPointer(out.baseAddress! + di &* n)
                        to.storeBytes(of: s0, as: SIMD8<Float>.self)
                        to.storeBytes(of: s1, toByteOffset: 32, as: SIMD8<Float>.self)
                        to.storeBytes(of: s2, toByteOffset: 64, as: SIMD8<Float>.self)
                    }
                }
            }
        }
    }
}
