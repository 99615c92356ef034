/// Rounding and clamping by the float's bit pattern, the way the kernels need them on
/// x86-64: one or two vector operations each, where the standard library's forms compile
/// to a call, a branch or a blend per lane.
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

    /// Each lane's `max(x, 0)` by its sign bit: negatives (and -0) become +0, with a shift
    /// and a mask instead of a compare and a blend. It also tells the compiler the lanes are
    /// not negative, which lets a following `squareRoot()` be one `sqrtps` rather than a
    /// checked libm call per lane.
    @inline(__always)
    var positiveParts: SIMD8<Float> {
        let bits = unsafeBitCast(self, to: SIMD8<Int32>.self)
        return unsafeBitCast(bits & ~(bits &>> 31), to: SIMD8<Float>.self)
    }
}
