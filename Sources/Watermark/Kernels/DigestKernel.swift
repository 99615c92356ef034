import ImageCore

/// The tamper-digest pass: one NH value (UMAC's NH, RFC 4418) per block of the digest grid,
/// over the image bytes with every colour LSB cleared (alpha kept whole).
///
/// Within a block, the bytes of block row `r` are read as little-endian 32-bit words `m`
/// (zero-padded to a multiple of 16 bytes) keyed by `key[r * Layout.nhRowStrideWords ...]`:
/// `NH = sum over pairs of ((m[2j] + k[2j]) mod 2^32) * ((m[2j+1] + k[2j+1]) mod 2^32) mod 2^64`.
/// The result is only almost-universal; `TamperGrid` finalises it with HMAC-SHA256.
enum DigestKernel {
    /// Adds each block's NH value into `out[by * blocksX + bx]` (`out` must be zeroed by the caller).
    static func blockNH(
        _ bytes: UnsafePointer<UInt8>, geometry g: Geometry, key: UnsafePointer<UInt32>,
        out: UnsafeMutableBufferPointer<UInt64>, mode: KernelMode
    ) {
        precondition(out.count == g.blockCount)
        for y in 0..<g.height {
            addRow(bytes + y * g.rowBytes, y: y, geometry: g, key: key, out: out, mode: mode)
        }
    }

    /// Adds the NH values of pixel row `y` (its bytes at `row`) into the sums of its blocks.
    @inline(__always)
    static func addRow(
        _ row: UnsafePointer<UInt8>, y: Int, geometry g: Geometry, key: UnsafePointer<UInt32>,
        out: UnsafeMutableBufferPointer<UInt64>, mode: KernelMode
    ) {
        let by = g.blockRow(ofPixelRow: y)
        let rowKey = key + (y - by * Layout.blockSize) * Layout.nhRowStrideWords
        for bx in 0..<g.blocksX {
            let x0 = bx * Layout.blockSize
            let start = row + x0 * g.channels
            let count = (g.blockColumnEnd(bx) - x0) * g.channels
            let nh: UInt64
            switch mode {
            case .simd: nh = nhSIMD(start, count: count, key: rowKey, alphaMasked: g.channels == 4)
            case .reference: nh = nhReference(start, count: count, key: rowKey, channels: g.channels)
            }
            out[by * g.blocksX + bx] &+= nh
        }
    }

    /// Mask clearing colour LSBs: all 0xFE for RGB, 0xFE,0xFE,0xFE,0xFF for RGBA.
    static let maskRGB = SIMD16<UInt8>(repeating: 0xFE)
    static let maskRGBA = SIMD16<UInt8>(
        0xFE, 0xFE, 0xFE, 0xFF, 0xFE, 0xFE, 0xFE, 0xFF, 0xFE, 0xFE, 0xFE, 0xFF, 0xFE, 0xFE, 0xFE, 0xFF)

    @inline(__always)
    static func nhStep(_ v: SIMD16<UInt8>, _ k: SIMD4<UInt32>) -> SIMD2<UInt64> {
        let s = unsafeBitCast(unsafeBitCast(v, to: SIMD4<UInt32>.self) &+ k, to: SIMD2<UInt64>.self)
        return (s & 0xFFFF_FFFF) &* (s &>> 32)
    }

    /// NH over `count` bytes (starting on a pixel boundary), 16 bytes per step, two accumulators.
    @inline(__always)
    static func nhSIMD(_ p: UnsafePointer<UInt8>, count: Int, key: UnsafePointer<UInt32>, alphaMasked: Bool)
        -> UInt64
    {
        let mask = alphaMasked ? maskRGBA : maskRGB
        let raw = UnsafeRawPointer(p)
        let rawKey = UnsafeRawPointer(key)
        var acc0 = SIMD2<UInt64>()
        var acc1 = SIMD2<UInt64>()
        var i = 0
        while i &+ 32 <= count {
            let v0 = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self) & mask
            let v1 = raw.loadUnaligned(fromByteOffset: i &+ 16, as: SIMD16<UInt8>.self) & mask
            let k0 = rawKey.loadUnaligned(fromByteOffset: i, as: SIMD4<UInt32>.self)
            let k1 = rawKey.loadUnaligned(fromByteOffset: i &+ 16, as: SIMD4<UInt32>.self)
            acc0 &+= nhStep(v0, k0)
            acc1 &+= nhStep(v1, k1)
            i &+= 32
        }
        if i &+ 16 <= count {
            let v0 = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self) & mask
            let k0 = rawKey.loadUnaligned(fromByteOffset: i, as: SIMD4<UInt32>.self)
            acc0 &+= nhStep(v0, k0)
            i &+= 16
        }
        if i < count {
            // Tail: fewer than 16 bytes, zero-padded (at most once per block row).
            var v = SIMD16<UInt8>()
            for j in 0..<(count &- i) { v[j] = p[i &+ j] }
            let k0 = rawKey.loadUnaligned(fromByteOffset: i, as: SIMD4<UInt32>.self)
            acc1 &+= nhStep(v & mask, k0)
        }
        let acc = acc0 &+ acc1
        return acc[0] &+ acc[1]
    }

    /// The plain definition: byte by byte, word pair by word pair.
    static func nhReference(_ p: UnsafePointer<UInt8>, count: Int, key: UnsafePointer<UInt32>, channels: Int)
        -> UInt64
    {
        func maskedByte(_ index: Int) -> UInt32 {
            guard index < count else { return 0 }
            let isAlpha = channels == 4 && index % 4 == 3
            return UInt32(isAlpha ? p[index] : p[index] & 0xFE)
        }
        func word(_ w: Int) -> UInt32 {
            maskedByte(4 * w) | maskedByte(4 * w + 1) << 8 | maskedByte(4 * w + 2) << 16 | maskedByte(4 * w + 3) << 24
        }
        let paddedWords = (count + 15) / 16 * 4
        var sum: UInt64 = 0
        var w = 0
        while w < paddedWords {
            let a = UInt64(word(w) &+ key[w])
            let b = UInt64(word(w + 1) &+ key[w + 1])
            sum = sum &+ a &* b
            w += 2
        }
        return sum
    }

    // MARK: Masking (the fused digest pass)

    /// Clears the least significant bit of every colour channel (alpha is kept whole): the
    /// "upper bits" that the artwork digest and the tamper grid cover. `src` and `dst` hold
    /// `count` bytes starting on a pixel boundary; they may not overlap.
    static func mask(
        _ src: UnsafePointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>, count: Int, channels: Int,
        mode: KernelMode
    ) {
        switch mode {
        case .simd: maskSIMD(src, into: dst, count: count, alphaMasked: channels == 4)
        case .reference: maskReference(src, into: dst, count: count, channels: channels)
        }
    }

    /// 16 bytes per step with the digest kernel's masks; the tail (under 16 bytes) scalar.
    @inline(__always)
    static func maskSIMD(_ src: UnsafePointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>, count: Int, alphaMasked: Bool) {
        let mask = alphaMasked ? maskRGBA : maskRGB
        let s = UnsafeRawPointer(src)
        let d = UnsafeMutableRawPointer(dst)
        var i = 0
        while i &+ 16 <= count {
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self) & mask, toByteOffset: i,
                         as: SIMD16<UInt8>.self)
            i &+= 16
        }
        // A pixel boundary every 16 bytes for RGBA, so the mask's lanes still line up.
        while i < count {
            dst[i] = src[i] & mask[i & 15]
            i &+= 1
        }
    }

    /// The plain definition, byte by byte.
    static func maskReference(_ src: UnsafePointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>, count: Int, channels: Int) {
        for i in 0..<count {
            let isAlpha = channels == 4 && i % 4 == 3
            dst[i] = isAlpha ? src[i] : src[i] & 0xFE
        }
    }
}
