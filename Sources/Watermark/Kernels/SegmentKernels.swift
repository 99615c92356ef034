import ImageCore

/// Writing and reading the 48 carrier LSBs of whole segments (16 pixels of one row).
///
/// A segment value is a `UInt64` whose bits 0..<48 map to the segment's colour channels in
/// memory order (pixel 0 R, G, B, pixel 1 R, ...); alpha is skipped and never written.
/// `write` replaces each carrier's least significant bit (a change of at most 1);
/// `read` gathers them back.
enum SegmentKernels {
    /// Per-format lane constants for one `SIMD16<UInt8>` vector of a segment.
    struct Lanes {
        /// Carrier bits per vector (16 for RGB, 12 for RGBA).
        let bitsPerVector: Int
        /// Vectors per segment (3 for RGB, 4 for RGBA).
        let vectors: Int
        /// Lanes whose bit comes from the high byte of the 16-bit window.
        let highLane: SIMDMask<SIMD16<Int8>>
        /// Bit within the selected byte (0 for alpha lanes).
        let bitSelect: SIMD16<UInt8>
        /// AND mask applied before inserting bits: 0xFE for colour, 0xFF for alpha.
        let keep: SIMD16<UInt8>
        /// 1 for colour lanes, 0 for alpha.
        let carrier: SIMD16<UInt8>
        /// Gather weights: `1 << idx` for idx < 8, else 0.
        let weightLow: SIMD16<UInt8>
        /// Gather weights: `1 << (idx - 8)` for idx >= 8, else 0.
        let weightHigh: SIMD16<UInt8>

        init(channels: Int) {
            var high = SIMDMask<SIMD16<Int8>>()
            var sel = SIMD16<UInt8>()
            var keep = SIMD16<UInt8>()
            var carrier = SIMD16<UInt8>()
            var wl = SIMD16<UInt8>()
            var wh = SIMD16<UInt8>()
            for lane in 0..<16 {
                let pixel = lane / channels
                let channel = lane % channels
                let isAlpha = channels == 4 && channel == 3
                let idx = pixel * 3 + channel
                keep[lane] = isAlpha ? 0xFF : 0xFE
                carrier[lane] = isAlpha ? 0 : 1
                if !isAlpha {
                    high[lane] = idx >= 8
                    sel[lane] = UInt8(1) << UInt8(idx & 7)
                    if idx < 8 { wl[lane] = UInt8(1) << UInt8(idx) } else { wh[lane] = UInt8(1) << UInt8(idx - 8) }
                }
            }
            bitsPerVector = channels == 4 ? 12 : 16
            vectors = channels == 4 ? 4 : 3
            highLane = high
            bitSelect = sel
            self.keep = keep
            self.carrier = carrier
            weightLow = wl
            weightHigh = wh
        }

        static let rgb = Lanes(channels: 3)
        static let rgba = Lanes(channels: 4)
        static func of(_ channels: Int) -> Lanes { channels == 4 ? rgba : rgb }
    }

    /// Writes `values[i]` (48 bits) into the segment starting at byte `offsets[i]`.
    static func write(
        _ bytes: UnsafeMutablePointer<UInt8>, offsets: UnsafeBufferPointer<Int>,
        values: UnsafeBufferPointer<UInt64>, channels: Int, mode: KernelMode
    ) {
        precondition(offsets.count == values.count)
        switch mode {
        case .simd: writeSIMD(bytes, offsets: offsets, values: values, lanes: Lanes.of(channels))
        case .reference: writeReference(bytes, offsets: offsets, values: values, channels: channels)
        }
    }

    /// Reads the 48 carrier LSBs of the segment at each `offsets[i]` into `values[i]`.
    static func read(
        _ bytes: UnsafePointer<UInt8>, offsets: UnsafeBufferPointer<Int>,
        values: UnsafeMutableBufferPointer<UInt64>, channels: Int, mode: KernelMode
    ) {
        precondition(offsets.count == values.count)
        switch mode {
        case .simd: readSIMD(bytes, offsets: offsets, values: values, lanes: Lanes.of(channels))
        case .reference: readReference(bytes, offsets: offsets, values: values, channels: channels)
        }
    }

    // MARK: SIMD

    @inline(__always)
    static func writeSIMD(
        _ bytes: UnsafeMutablePointer<UInt8>, offsets: UnsafeBufferPointer<Int>,
        values: UnsafeBufferPointer<UInt64>, lanes: Lanes
    ) {
        let zero = SIMD16<UInt8>(repeating: 0)
        for i in 0..<offsets.count {
            let base = UnsafeMutableRawPointer(bytes + offsets[i])
            var window = values[i]
            for v in 0..<lanes.vectors {
                let lo = SIMD16<UInt8>(repeating: UInt8(truncatingIfNeeded: window))
                let hi = SIMD16<UInt8>(repeating: UInt8(truncatingIfNeeded: window >> 8))
                let src = lo.replacing(with: hi, where: lanes.highLane)
                let bits = zero.replacing(with: lanes.carrier, where: (src & lanes.bitSelect) .== lanes.bitSelect)
                let p = base + v &* 16
                let pixels = p.loadUnaligned(as: SIMD16<UInt8>.self)
                p.storeBytes(of: (pixels & lanes.keep) | bits, as: SIMD16<UInt8>.self)
                window >>= UInt64(lanes.bitsPerVector)
            }
        }
    }

    @inline(__always)
    static func readSIMD(
        _ bytes: UnsafePointer<UInt8>, offsets: UnsafeBufferPointer<Int>,
        values: UnsafeMutableBufferPointer<UInt64>, lanes: Lanes
    ) {
        let zero = SIMD16<UInt8>(repeating: 0)
        for i in 0..<offsets.count {
            let base = UnsafeRawPointer(bytes + offsets[i])
            var value: UInt64 = 0
            var shift: UInt64 = 0
            for v in 0..<lanes.vectors {
                let pixels = (base + v &* 16).loadUnaligned(as: SIMD16<UInt8>.self)
                // 0xFF where the carrier LSB is set, else 0.
                let set = zero &- (pixels & lanes.carrier)
                let lo = (set & lanes.weightLow).wrappedSum()
                let hi = (set & lanes.weightHigh).wrappedSum()
                value |= (UInt64(lo) | UInt64(hi) << 8) << shift
                shift &+= UInt64(lanes.bitsPerVector)
            }
            values[i] = value
        }
    }

    // MARK: Reference

    static func writeReference(
        _ bytes: UnsafeMutablePointer<UInt8>, offsets: UnsafeBufferPointer<Int>,
        values: UnsafeBufferPointer<UInt64>, channels: Int
    ) {
        for i in 0..<offsets.count {
            for carrier in 0..<Layout.segmentBits {
                let offset = offsets[i] + (carrier / 3) * channels + carrier % 3
                let bit = UInt8((values[i] >> UInt64(carrier)) & 1)
                bytes[offset] = (bytes[offset] & 0xFE) | bit
            }
        }
    }

    static func readReference(
        _ bytes: UnsafePointer<UInt8>, offsets: UnsafeBufferPointer<Int>,
        values: UnsafeMutableBufferPointer<UInt64>, channels: Int
    ) {
        for i in 0..<offsets.count {
            var value: UInt64 = 0
            for carrier in 0..<Layout.segmentBits {
                let offset = offsets[i] + (carrier / 3) * channels + carrier % 3
                value |= UInt64(bytes[offset] & 1) << UInt64(carrier)
            }
            values[i] = value
        }
    }
}
