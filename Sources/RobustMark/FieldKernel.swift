import ImageCore

/// The embedder's per-row kernels: each pixel's delta, and its addition to the row's bytes.
enum FieldKernel {
    /// `1 + min(sqrt(max(activity, 0)) / 8, 1.5)` for each sample, in place: how much more
    /// than flat paper a pixel takes.
    static func gains(_ activity: inout [Float], mode: KernelMode) {
        let count = activity.count
        activity.withUnsafeMutableBufferPointer { a in
            var x = 0
            if mode == .simd {
                let zero = SIMD8<Float>(repeating: 0), cap = SIMD8<Float>(repeating: 1.5)
                let one = SIMD8<Float>(repeating: 1), eighth = SIMD8<Float>(repeating: 0.125)
                let raw = UnsafeMutableRawPointer(a.baseAddress!)
                while x &+ 8 <= count {
                    let act = raw.loadUnaligned(fromByteOffset: x &* 4, as: SIMD8<Float>.self)
                    let root = act.replacing(with: zero, where: act .< zero).squareRoot() * eighth
                    let gain = one + root.replacing(with: cap, where: root .> cap)
                    raw.storeBytes(of: gain, toByteOffset: x &* 4, as: SIMD8<Float>.self)
                    x &+= 8
                }
            }
            while x < count {
                a[x] = 1 + min(max(a[x], 0).squareRoot() * 0.125, 1.5)
                x &+= 1
            }
        }
    }

    /// `out[2i] = out[2i + 1] = half[i]` for the `out.count` pixels of a row.
    static func doubled(_ half: UnsafePointer<Float>, into out: inout [Float], mode: KernelMode) {
        let count = out.count
        out.withUnsafeMutableBufferPointer { o in
            var x = 0
            if mode == .simd {
                let from = UnsafeRawPointer(half), to = UnsafeMutableRawPointer(o.baseAddress!)
                while x &+ 8 <= count {
                    let v = from.loadUnaligned(fromByteOffset: x &* 2, as: SIMD4<Float>.self)
                    let pairs = SIMD8(v[0], v[0], v[1], v[1], v[2], v[2], v[3], v[3])
                    to.storeBytes(of: pairs, toByteOffset: x &* 4, as: SIMD8<Float>.self)
                    x &+= 8
                }
            }
            while x < count {
                o[x] = half[x / 2]
                x &+= 1
            }
        }
    }

    /// `amplitude * field * gain`, rounded to the nearest level (ties to even), for one row.
    static func deltas(field: [Float], gain: [Float], amplitude: Float, into deltas: inout [Int16], mode: KernelMode) {
        let width = field.count
        precondition(gain.count == width && deltas.count == width)
        gain.withUnsafeBufferPointer { g in
            field.withUnsafeBufferPointer { f in
                deltas.withUnsafeMutableBufferPointer { d in
                    var x = 0
                    if mode == .simd {
                        let scale = SIMD8<Float>(repeating: amplitude)
                        let rawG = UnsafeRawPointer(g.baseAddress!), rawF = UnsafeRawPointer(f.baseAddress!)
                        while x &+ 8 <= width {
                            let delta = scale * rawF.loadUnaligned(fromByteOffset: x &* 4, as: SIMD8<Float>.self)
                                * rawG.loadUnaligned(fromByteOffset: x &* 4, as: SIMD8<Float>.self)
                            let bits = delta.nearestIntegers
                            var whole = SIMD8<Int16>()
                            for lane in 0..<8 { whole[lane] = Int16(truncatingIfNeeded: bits[lane]) }
                            UnsafeMutableRawPointer(d.baseAddress!).storeBytes(
                                of: whole, toByteOffset: x &* 2, as: SIMD8<Int16>.self)
                            x &+= 8
                        }
                    }
                    while x < width {
                        d[x] = Int16((amplitude * f[x] * g[x]).rounded(.toNearestOrEven))
                        x &+= 1
                    }
                }
            }
        }
    }

    /// Adds one delta per pixel to the colour bytes of one row, saturating at 0 and 255,
    /// alpha untouched. `spread` is the SIMD path's scratch row, kept by the caller across
    /// rows so that no row allocates (16 spare elements past the row's bytes).
    static func add(
        _ deltas: [Int16], toRow y: Int, of image: inout PixelBuffer, spread: inout [Int16], mode: KernelMode
    ) {
        let channels = image.format.channels, rowBytes = image.rowBytes, start = y * rowBytes
        switch mode {
        case .reference:
            for x in 0..<image.width {
                for c in 0..<3 {
                    let o = start + x * channels + c
                    image.bytes[o] = UInt8(min(max(Int16(image.bytes[o]) + deltas[x], 0), 255))
                }
            }
        case .simd:
            // The deltas spread to bytes (0 on alpha), then 16 bytes at a time.
            if spread.count != rowBytes + 16 { spread = [Int16](repeating: 0, count: rowBytes + 16) }
            // One 8-byte store per pixel: the delta three times and a 0 (alpha's, or, for RGB,
            // the next pixel's red, which its own store overwrites).
            deltas.withUnsafeBufferPointer { d in
                spread.withUnsafeMutableBytes { s in
                    let pixelBytes = channels &* 2
                    for x in 0..<image.width {
                        let v = UInt64(UInt16(bitPattern: d[x]))
                        s.storeBytes(of: v | v << 16 | v << 32, toByteOffset: x &* pixelBytes, as: UInt64.self)
                    }
                }
            }
            let low = SIMD16<Int16>(repeating: 0), high = SIMD16<Int16>(repeating: 255)
            image.bytes.withUnsafeMutableBufferPointer { p in
                spread.withUnsafeBufferPointer { d in
                    var i = 0
                    while i + 16 <= rowBytes {
                        let bytes = UnsafeRawPointer(p.baseAddress! + start + i).loadUnaligned(as: SIMD16<UInt8>.self)
                        var sum = UnsafeRawPointer(d.baseAddress! + i).loadUnaligned(as: SIMD16<Int16>.self)
                        for lane in 0..<16 { sum[lane] &+= Int16(bytes[lane]) }
                        // A signed clamp to 0...255 and a narrowing: the compiler makes the three
                        // one saturating pack.
                        sum.replace(with: low, where: sum .< low)
                        sum.replace(with: high, where: sum .> high)
                        var out = SIMD16<UInt8>()
                        for lane in 0..<16 { out[lane] = UInt8(truncatingIfNeeded: sum[lane]) }
                        UnsafeMutableRawPointer(p.baseAddress! + start + i).storeBytes(of: out, as: SIMD16<UInt8>.self)
                        i &+= 16
                    }
                    while i < rowBytes {
                        p[start + i] = UInt8(min(max(Int16(p[start + i]) + d[i], 0), 255))
                        i &+= 1
                    }
                }
            }
        }
    }
}
