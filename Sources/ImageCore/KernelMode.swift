/// Selects the implementation of a hot image kernel (the watermark layers' and any other).
/// `.reference` is the plain scalar oracle kept beside each SIMD kernel; results are
/// bit-identical, only speed differs.
public enum KernelMode: Sendable, Hashable, CaseIterable {
    /// SIMD kernels (`SIMD16<UInt8>`, `SIMD8<Float>`, 64-bit lanes): the default.
    case simd
    /// Plain scalar loops, written for clarity; the test oracle.
    case reference
}
