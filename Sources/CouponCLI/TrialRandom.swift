import Foundation
import Crypto

/// The robust trial's deterministic generator: xoshiro256** seeded with the SHA-256 of a
/// text (the trial's seed and what the numbers are for), so every artwork and every
/// transformation's parameters are reproducible from `--seed` alone and independent of each
/// other. Its own conversions to `Double` and to ranges, rather than the standard
/// library's, so a run stays the same across Swift versions. Not for keys.
struct TrialRandom: RandomNumberGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator for `label` (e.g. "params 1 photo 0 canvas 2").
    init(_ label: String) {
        let digest = Array(SHA256.hash(data: Array(label.utf8)))
        func word(_ i: Int) -> UInt64 { digest[i * 8..<i * 8 + 8].reduce(0) { $0 << 8 | UInt64($1) } }
        state = (word(0), word(1), word(2), word(3) | 1)  // never all zero
    }

    mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in `range`.
    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }

    /// Log-uniform in `range` (both bounds positive): as likely to halve as to double.
    mutating func logUniform(_ range: ClosedRange<Double>) -> Double {
        exp(uniform(log(range.lowerBound)...log(range.upperBound)))
    }

    /// Uniform in `range` (the bias of the modulo is below 2^-40 for the trial's ranges).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// One of `elements` (not empty).
    mutating func pick<T>(_ elements: [T]) -> T { elements[int(0...elements.count - 1)] }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }
}
