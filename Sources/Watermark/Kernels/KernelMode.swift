/// Selects the implementation of the hot kernels. `.reference` is the plain scalar oracle
/// kept beside each SIMD kernel; results are bit-identical, only speed differs.
public enum KernelMode: Sendable, Hashable, CaseIterable {
    /// `SIMD16<UInt8>` / 64-bit lane kernels (the default).
    case simd
    /// Plain scalar loops, written for clarity; the test oracle.
    case reference
}
