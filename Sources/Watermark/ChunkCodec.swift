import Crypto
import ImageCore

/// Spreads a byte stream over segment slots (6 bytes per chunk, `Layout.copies` copies, each
/// whitened) and reads it back by per-bit majority over the non-erased copies.
/// Slot `c * copies + r` holds copy `r` of chunk `c`.
enum ChunkCodec {
    static func write(
        _ stream: [UInt8], into image: inout PixelBuffer, slots: [Int], whitening: [UInt64], mode: KernelMode
    ) {
        let g = Geometry(image)
        let chunks = slots.count / Layout.copies
        precondition(chunks * Layout.chunkBytes >= stream.count && whitening.count == slots.count)
        var offsets = [Int](repeating: 0, count: slots.count)
        var values = [UInt64](repeating: 0, count: slots.count)
        for c in 0..<chunks {
            var v: UInt64 = 0
            for i in 0..<Layout.chunkBytes where c * Layout.chunkBytes + i < stream.count {
                v |= UInt64(stream[c * Layout.chunkBytes + i]) << (8 * i)
            }
            for r in 0..<Layout.copies {
                let k = c * Layout.copies + r
                offsets[k] = g.segmentOffset(slots[k])
                values[k] = v ^ whitening[k]
            }
        }
        let channels = g.channels
        image.bytes.withUnsafeMutableBufferPointer { p in
            offsets.withUnsafeBufferPointer { o in
                values.withUnsafeBufferPointer { v in
                    SegmentKernels.write(p.baseAddress!, offsets: o, values: v, channels: channels, mode: mode)
                }
            }
        }
    }

    /// Whether a raw 24-bit half-segment read looks painted over: each channel's LSB is
    /// (nearly) constant across the 8 pixels, i.e. at most 2 of the 21 pairs 3 bits apart differ.
    /// A genuine whitened half passes this with probability 232 / 2^21.
    @inline(__always) static func isErased(_ half: UInt64) -> Bool {
        ((half ^ (half >> 3)) & 0x1F_FFFF).nonzeroBitCount <= 2
    }

    /// Reads `chunks * 6` bytes: every copy is read, erasure-checked, de-whitened, then voted.
    /// `uncertain` lists the byte indices with a tied bit (including "every copy erased"):
    /// Reed-Solomon erasures.
    static func read(_ image: PixelBuffer, slots: [Int], whitening: [UInt64], chunks: Int, mode: KernelMode)
        -> (bytes: [UInt8], uncertain: [Int])
    {
        let g = Geometry(image)
        precondition(slots.count == chunks * Layout.copies && whitening.count == slots.count)
        let offsets = slots.map { g.segmentOffset($0) }
        var raw = [UInt64](repeating: 0, count: slots.count)
        image.bytes.withUnsafeBufferPointer { p in
            offsets.withUnsafeBufferPointer { o in
                raw.withUnsafeMutableBufferPointer { v in
                    SegmentKernels.read(p.baseAddress!, offsets: o, values: v, channels: g.channels, mode: mode)
                }
            }
        }
        var out = [UInt8](repeating: 0, count: chunks * Layout.chunkBytes)
        var uncertain: [Int] = []
        let lowHalf: UInt64 = 0xFF_FFFF
        for c in 0..<chunks {
            var ones = [Int8](repeating: 0, count: Layout.segmentBits)
            var valid = [Int8](repeating: 0, count: Layout.segmentBits)
            for r in 0..<Layout.copies {
                let k = c * Layout.copies + r
                let v = raw[k]
                var mask: UInt64 = 0
                if !isErased(v & lowHalf) { mask |= lowHalf }
                if !isErased(v >> 24) { mask |= lowHalf << 24 }
                let data = v ^ whitening[k]
                for bit in 0..<Layout.segmentBits where (mask >> UInt64(bit)) & 1 == 1 {
                    valid[bit] += 1
                    ones[bit] += Int8((data >> UInt64(bit)) & 1)
                }
            }
            var value: UInt64 = 0
            var tied: UInt64 = 0
            for bit in 0..<Layout.segmentBits {
                let score = 2 * Int(ones[bit]) - Int(valid[bit])
                if score > 0 { value |= 1 << UInt64(bit) }
                if score == 0 { tied |= 1 << UInt64(bit) }
            }
            for i in 0..<Layout.chunkBytes {
                out[c * Layout.chunkBytes + i] = UInt8(truncatingIfNeeded: value >> (8 * i))
                if (tied >> (8 * i)) & 0xFF != 0 { uncertain.append(c * Layout.chunkBytes + i) }
            }
        }
        return (out, uncertain)
    }

    /// Errors-and-erasures decoding, falling back to errors-only when the erasure set is
    /// too large or wrong (a tied byte is still right half the time).
    static func decode(_ codeword: inout [UInt8], erasures: [Int], code: ReedSolomon) throws(ReedSolomonError) -> Int {
        if !erasures.isEmpty && erasures.count <= code.parity {
            var attempt = codeword
            if let corrected = try? code.decode(&attempt, erasures: erasures) {
                codeword = attempt
                return corrected
            }
        }
        return try code.decode(&codeword)
    }
}

/// The keyed payload stream: meta codeword, then interleaved payload codewords.
enum PayloadCodec {
    struct Meta {
        let length: Int
        let mac: [UInt8]
        let corrected: Int
    }

    static func mac(_ payload: [UInt8], key: SymmetricKey) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: payload, using: key).prefix(8))
    }

    /// Data sizes of the payload codewords: as even as possible, larger ones first.
    static func codewordDataSizes(_ length: Int) -> [Int] {
        let n = Layout.codewordCount(length)
        guard n > 0 else { return [] }
        return (0..<n).map { length / n + ($0 < length % n ? 1 : 0) }
    }

    static func encode(_ payload: [UInt8], macKey: SymmetricKey) -> [UInt8] {
        var meta: [UInt8] = []
        KeySchedule.appendLE(&meta, UInt32(payload.count))
        meta += mac(payload, key: macKey)
        var stream = ReedSolomon(parity: Layout.metaParity).encode(meta)
        let rs = ReedSolomon(parity: Layout.payloadParity)
        var codewords: [[UInt8]] = []
        var start = 0
        for size in codewordDataSizes(payload.count) {
            codewords.append(rs.encode(Array(payload[start..<start + size])))
            start += size
        }
        let longest = codewords.first?.count ?? 0
        for j in 0..<longest {
            for cw in codewords where j < cw.count { stream.append(cw[j]) }
        }
        return stream
    }

    static func decodeMeta(_ bytes: [UInt8], uncertain: [Int]) throws(WatermarkError) -> Meta {
        var cw = Array(bytes[0..<Layout.metaLength])
        let erasures = uncertain.filter { $0 < Layout.metaLength }
        let corrected: Int
        do {
            corrected = try ChunkCodec.decode(&cw, erasures: erasures, code: ReedSolomon(parity: Layout.metaParity))
        } catch { throw .payloadUnrecoverable }
        return Meta(length: Int(UInt32(littleEndian: cw, at: 0)), mac: Array(cw[4..<12]), corrected: corrected)
    }

    /// De-interleaves and decodes the payload codewords from the whole stream; checks the MAC.
    static func decodePayload(_ stream: [UInt8], uncertain: [Int], meta: Meta, macKey: SymmetricKey)
        throws(WatermarkError) -> (payload: [UInt8], corrected: Int)
    {
        let sizes = codewordDataSizes(meta.length).map { $0 + Layout.payloadParity }
        var codewords = sizes.map { [UInt8](repeating: 0, count: $0) }
        var erasures = sizes.map { _ in [Int]() }
        var isUncertain = [Bool](repeating: false, count: stream.count)
        for u in uncertain { isUncertain[u] = true }
        var position = Layout.metaLength
        let longest = sizes.first ?? 0
        for j in 0..<longest {
            for i in 0..<codewords.count where j < sizes[i] {
                codewords[i][j] = stream[position]
                if isUncertain[position] { erasures[i].append(j) }
                position += 1
            }
        }
        let rs = ReedSolomon(parity: Layout.payloadParity)
        var payload: [UInt8] = []
        payload.reserveCapacity(meta.length)
        var corrected = 0
        for i in 0..<codewords.count {
            do {
                corrected += try ChunkCodec.decode(&codewords[i], erasures: erasures[i], code: rs)
            } catch { throw .payloadUnrecoverable }
            payload += codewords[i].prefix(sizes[i] - Layout.payloadParity)
        }
        let expected = mac(payload, key: macKey)
        var diff: UInt8 = 0
        for i in 0..<expected.count { diff |= expected[i] ^ meta.mac[i] }
        guard diff == 0 else { throw .payloadUnrecoverable }
        return (payload, corrected)
    }
}

/// The keyed digest grid: NH per block (SIMD kernel), finalised with HMAC-SHA256 to a 16-bit
/// tag stored in the block's own tag segment.
enum TamperGrid {
    /// Each block's NH sum over the image's upper bits.
    static func nhSums(_ image: PixelBuffer, key: WatermarkKey, mode: KernelMode) -> [UInt64] {
        let g = Geometry(image)
        var nh = [UInt64](repeating: 0, count: g.blockCount)
        image.bytes.withUnsafeBufferPointer { p in
            key.nhKey.withUnsafeBufferPointer { k in
                nh.withUnsafeMutableBufferPointer { out in
                    DigestKernel.blockNH(p.baseAddress!, geometry: g, key: k.baseAddress!, out: out, mode: mode)
                }
            }
        }
        return nh
    }

    /// The expected tag of every block, from its NH sum.
    static func tags(nh: [UInt64], layout: KeyedLayout) -> [UInt16] {
        let g = layout.geometry
        var tags = [UInt16](repeating: 0, count: g.blockCount)
        let keyed = HMAC<SHA256>(key: layout.tagKey)
        var message = [UInt8](repeating: 0, count: 28)
        for b in 0..<g.blockCount {
            let rect = g.blockRect(b)
            message.removeAll(keepingCapacity: true)
            KeySchedule.appendLE(&message, UInt32(b))
            KeySchedule.appendLE(&message, UInt32(rect.x))
            KeySchedule.appendLE(&message, UInt32(rect.y))
            KeySchedule.appendLE(&message, UInt32(rect.width))
            KeySchedule.appendLE(&message, UInt32(rect.height))
            KeySchedule.appendLE(&message, nh[b])
            var hmac = keyed
            hmac.update(data: message)
            let mac = hmac.finalize()
            tags[b] = mac.withUnsafeBytes { UInt16($0[0]) | UInt16($0[1]) << 8 }
        }
        return tags
    }

    static func readTagSegments(_ image: PixelBuffer, layout: KeyedLayout, mode: KernelMode) -> [UInt64] {
        let g = layout.geometry
        let offsets = layout.tagSegment.map { g.segmentOffset($0) }
        var raw = [UInt64](repeating: 0, count: offsets.count)
        image.bytes.withUnsafeBufferPointer { p in
            offsets.withUnsafeBufferPointer { o in
                raw.withUnsafeMutableBufferPointer { v in
                    SegmentKernels.read(p.baseAddress!, offsets: o, values: v, channels: g.channels, mode: mode)
                }
            }
        }
        return raw
    }

    static func writeTags(into image: inout PixelBuffer, layout: KeyedLayout, key: WatermarkKey, mode: KernelMode) {
        let g = layout.geometry
        let tags = tags(nh: nhSums(image, key: key, mode: mode), layout: layout)
        var values = readTagSegments(image, layout: layout, mode: mode)
        let mask: UInt64 = (1 << UInt64(Layout.tagBits)) - 1
        for b in 0..<values.count {
            let shift = UInt64(layout.tagShift[b])
            values[b] = (values[b] & ~(mask << shift)) | (UInt64(tags[b]) << shift)
        }
        let offsets = layout.tagSegment.map { g.segmentOffset($0) }
        image.bytes.withUnsafeMutableBufferPointer { p in
            offsets.withUnsafeBufferPointer { o in
                values.withUnsafeBufferPointer { v in
                    SegmentKernels.write(p.baseAddress!, offsets: o, values: v, channels: g.channels, mode: mode)
                }
            }
        }
    }

    static func check(_ image: PixelBuffer, layout: KeyedLayout, key: WatermarkKey, mode: KernelMode) -> TamperReport {
        check(image, layout: layout, nh: nhSums(image, key: key, mode: mode), mode: mode)
    }

    /// `check` with the blocks' NH sums already computed (`DigestPass`).
    static func check(_ image: PixelBuffer, layout: KeyedLayout, nh: [UInt64], mode: KernelMode) -> TamperReport {
        let g = layout.geometry
        let expected = tags(nh: nh, layout: layout)
        let stored = readTagSegments(image, layout: layout, mode: mode)
        let mask: UInt64 = (1 << UInt64(Layout.tagBits)) - 1
        var blocks: [BlockRect] = []
        var area = 0
        for b in 0..<g.blockCount where UInt16((stored[b] >> UInt64(layout.tagShift[b])) & mask) != expected[b] {
            let rect = g.blockRect(b)
            blocks.append(rect)
            area += rect.width * rect.height
        }
        return TamperReport(
            tamperedBlocks: blocks, blockCount: g.blockCount,
            tamperedFraction: Double(area) / Double(max(1, g.width * g.height)))
    }
}
