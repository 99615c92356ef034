extension SIMD8 where Scalar == Float {
    /// A float plus 1.5 x 2^23 is rounded to a whole number by the default rounding (ties
    /// to even; one ulp there is 1), which the sum's low mantissa bits then hold: rounding
    /// and conversion in one or two vector operations, exact for magnitudes under 2^22.
    /// SIMD `rounded` is a libm call per lane, and Swift's checked float-to-integer
    /// conversion goes lane by lane.
    private static var roundingBias: SIMD8<Float> { SIMD8(repeating: 12_582_912) }

    /// Each lane rounded to the nearest whole number, ties to even.
    @inline(__always)
    var nearestWholes: SIMD8<Float> { (self + Self.roundingBias) - Self.roundingBias }

    /// Each lane rounded to the nearest whole number, ties to even, as an integer.
    @inline(__always)
    var nearestIntegers: SIMD8<Int32> {
        unsafeBitCast(self + Self.roundingBias, to: SIMD8<Int32>.self) &- SIMD8<Int32>(repeating: 0x4B40_0000)
    }
}
