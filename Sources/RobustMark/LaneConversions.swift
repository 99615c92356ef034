/// Conversions between vectors, lane by lane, so that the compiler emits one vector
/// conversion: the standard library's generic SIMD conversions (`init(truncatingIfNeeded:)`,
/// integer from and to floating point) are not always inlined, and then cost a call per
/// vector, or per lane, in a hot loop (`objdump` of the release binary shows which).
enum LaneConversions {
    @inline(__always)
    static func widened(_ v: SIMD8<UInt8>) -> SIMD8<Int32> {
        var out = SIMD8<Int32>()
        for lane in 0..<8 { out[lane] = Int32(v[lane]) }
        return out
    }

    @inline(__always)
    static func widened(_ v: SIMD16<UInt8>) -> SIMD16<UInt16> {
        var out = SIMD16<UInt16>()
        for lane in 0..<16 { out[lane] = UInt16(v[lane]) }
        return out
    }

    /// The low byte of each lane.
    @inline(__always)
    static func narrowed(_ v: SIMD8<Int32>) -> SIMD8<UInt8> {
        var out = SIMD8<UInt8>()
        for lane in 0..<8 { out[lane] = UInt8(truncatingIfNeeded: v[lane]) }
        return out
    }

    /// The low byte of each lane.
    @inline(__always)
    static func narrowed(_ v: SIMD16<UInt16>) -> SIMD16<UInt8> {
        var out = SIMD16<UInt8>()
        for lane in 0..<16 { out[lane] = UInt8(truncatingIfNeeded: v[lane]) }
        return out
    }

    /// The low 16 bits of each lane.
    @inline(__always)
    static func narrowed(_ v: SIMD8<Int32>) -> SIMD8<Int16> {
        var out = SIMD8<Int16>()
        for lane in 0..<8 { out[lane] = Int16(truncatingIfNeeded: v[lane]) }
        return out
    }

    @inline(__always)
    static func float(_ v: SIMD8<Int32>) -> SIMD8<Float> {
        var out = SIMD8<Float>()
        for lane in 0..<8 { out[lane] = Float(v[lane]) }
        return out
    }
}
