/// Arithmetic in GF(2^8) with the primitive polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D), generator 2.
enum GF256 {
    /// `exp[i] = 2^i`, doubled in length so products of logs need no reduction.
    static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 512)
        var x = 1
        for i in 0..<255 {
            table[i] = UInt8(x)
            x <<= 1
            if x & 0x100 != 0 { x ^= 0x11D }
        }
        for i in 255..<512 { table[i] = table[i - 255] }
        return table
    }()

    /// `log[a]` for a != 0 (log[0] is unused).
    static let log: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for i in 0..<255 { table[Int(exp[i])] = UInt8(i) }
        return table
    }()

    /// Branch-free multiplication by a power of 2 (the syndrome loop): `logZ[a]` is `log[a]`
    /// for a != 0 and 512 for 0, and `expZ` is `exp` followed by zeros, so that
    /// `expZ[logZ[a] + e] == mul(a, 2^e)` for every `a` and `0 <= e < 255`.
    static let logZ: [UInt16] = (0..<256).map { $0 == 0 ? 512 : UInt16(log[$0]) }
    static let expZ: [UInt8] = exp + [UInt8](repeating: 0, count: 255)

    @inline(__always) static func mul(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return exp[Int(log[Int(a)]) + Int(log[Int(b)])]
    }

    @inline(__always) static func div(_ a: UInt8, _ b: UInt8) -> UInt8 {
        precondition(b != 0, "division by zero in GF(256)")
        if a == 0 { return 0 }
        return exp[Int(log[Int(a)]) + 255 - Int(log[Int(b)])]
    }

    /// 2^e for any integer e (negative allowed).
    @inline(__always) static func pow2(_ e: Int) -> UInt8 {
        exp[((e % 255) + 255) % 255]
    }
}

/// Why a Reed-Solomon codeword could not be decoded.
public enum ReedSolomonError: Error, Equatable, Sendable {
    /// More errors than the code can correct (or a pattern that is not a valid correction).
    case uncorrectable
    /// Codeword length outside `parity + 1 ... 255`.
    case invalidLength
}

/// A systematic Reed-Solomon code over GF(256), first consecutive root 2^0, possibly shortened
/// (codeword length `n <= 255`). `parity` check symbols correct up to `parity / 2` symbol errors.
///
/// Codewords are `data ++ parity`; byte 0 is the highest-degree coefficient. Decoding is
/// syndromes -> Berlekamp-Massey -> Chien search -> Forney. This is error coding, not crypto.
public struct ReedSolomon: Sendable {
    /// Number of parity symbols (2t).
    public let parity: Int
    /// Generator polynomial, highest degree first, monic (`generator[0] == 1`).
    let generator: [UInt8]

    /// A code with `parity` check symbols (1...254).
    public init(parity: Int) {
        precondition(parity > 0 && parity < 255, "parity must be in 1...254")
        self.parity = parity
        var g: [UInt8] = [1]
        for i in 0..<parity {
            // g(x) *= (x - 2^i)
            let root = GF256.pow2(i)
            var next = [UInt8](repeating: 0, count: g.count + 1)
            for j in 0..<g.count {
                next[j] ^= g[j]
                next[j + 1] ^= GF256.mul(g[j], root)
            }
            g = next
        }
        generator = g
    }

    /// The codeword for `data` (`data.count + parity <= 255`): data followed by parity.
    public func encode(_ data: [UInt8]) -> [UInt8] {
        precondition(data.count + parity <= 255, "codeword longer than 255")
        var remainder = [UInt8](repeating: 0, count: parity)
        for byte in data {
            let factor = byte ^ remainder[0]
            for j in 0..<(parity - 1) {
                remainder[j] = remainder[j + 1] ^ GF256.mul(generator[j + 1], factor)
            }
            remainder[parity - 1] = GF256.mul(generator[parity], factor)
        }
        return data + remainder
    }

    /// Corrects `codeword` in place and returns the number of symbols corrected.
    ///
    /// `erasures` are indices of symbols known to be unreliable (their values are ignored);
    /// `e` errors plus `f` erasures are corrected when `2e + f <= parity`. Throws
    /// `.uncorrectable` when the decoder notices that is not the case (a miscorrection to
    /// another codeword is possible but rare for large `parity`).
    @discardableResult
    public func decode(_ codeword: inout [UInt8], erasures: [Int] = []) throws(ReedSolomonError) -> Int {
        let n = codeword.count
        guard n > parity, n <= 255 else { throw .invalidLength }
        let erased = Array(Set(erasures.filter { $0 >= 0 && $0 < n })).sorted()
        guard erased.count <= parity else { throw .uncorrectable }
        // Syndromes S_j = c(2^j).
        var syndromes = [UInt8](repeating: 0, count: parity)
        var allZero = true
        // Horner's rule for all syndromes at once (byte outer, j inner): the parity chains
        // are independent, so their table lookups overlap instead of waiting on each other.
        GF256.expZ.withUnsafeBufferPointer { exp in
            GF256.logZ.withUnsafeBufferPointer { log in
                syndromes.withUnsafeMutableBufferPointer { syn in
                    for c in codeword {
                        for j in 0..<parity { syn[j] = exp[Int(log[Int(syn[j])]) &+ j] ^ c }  // s * 2^j + c
                    }
                }
            }
        }
        for s in syndromes where s != 0 { allZero = false }
        if allZero { return 0 }

        // Erasure locator Gamma(x) = prod (1 - X_i x), X_i = 2^(n-1-index); lowest degree first.
        var lambda = [UInt8](repeating: 0, count: parity + 2)
        lambda[0] = 1
        for index in erased {
            let x = GF256.pow2(n - 1 - index)
            var i = parity + 1
            while i > 0 {
                lambda[i] ^= GF256.mul(lambda[i - 1], x)
                i -= 1
            }
        }
        // Berlekamp-Massey for errors and erasures (Blahut), started from Gamma with L = f.
        let f = erased.count
        var previous = lambda
        var length = f
        for step in f..<parity {
            var d: UInt8 = 0
            for j in 0...step where j < lambda.count { d ^= GF256.mul(lambda[j], syndromes[step - j]) }
            // previous <- x * previous (shifted in either branch below).
            if d == 0 {
                previous.insert(0, at: 0)
                previous.removeLast()
                continue
            }
            var next = lambda
            for i in 1..<next.count { next[i] ^= GF256.mul(d, previous[i - 1]) }
            if 2 * length <= step + f {
                let inverse = GF256.div(1, d)
                previous = lambda.map { GF256.mul($0, inverse) }
                length = step + 1 + f - length
            } else {
                previous.insert(0, at: 0)
                previous.removeLast()
            }
            lambda = next
        }
        let errors = length - f
        guard errors >= 0, 2 * errors + f <= parity else { throw .uncorrectable }
        var degree = lambda.count - 1
        while degree > 0 && lambda[degree] == 0 { degree -= 1 }
        guard degree == length else { throw .uncorrectable }

        // Chien search over the (possibly shortened) positions.
        var positions: [Int] = []
        positions.reserveCapacity(length)
        for index in 0..<n {
            let power = n - 1 - index
            let xInv = GF256.pow2(-power)
            var value: UInt8 = 0
            var xp: UInt8 = 1
            for i in 0...length {
                value ^= GF256.mul(lambda[i], xp)
                xp = GF256.mul(xp, xInv)
            }
            if value == 0 { positions.append(index) }
        }
        guard positions.count == length else { throw .uncorrectable }

        // Omega(x) = S(x) * Lambda(x) mod x^parity.
        var omega = [UInt8](repeating: 0, count: parity)
        for k in 0..<parity {
            var v: UInt8 = 0
            for j in 0...min(k, length) { v ^= GF256.mul(lambda[j], syndromes[k - j]) }
            omega[k] = v
        }
        var corrected = 0
        // Forney (first root 2^0): e = X * Omega(X^-1) / Lambda'(X^-1).
        for index in positions {
            let power = n - 1 - index
            let x = GF256.pow2(power)
            let xInv = GF256.pow2(-power)
            var num: UInt8 = 0
            var xp: UInt8 = 1
            for k in 0..<parity {
                num ^= GF256.mul(omega[k], xp)
                xp = GF256.mul(xp, xInv)
            }
            var den: UInt8 = 0
            var i = 1
            while i <= length {
                // Formal derivative: odd terms Lambda_i x^(i-1).
                den ^= GF256.mul(lambda[i], GF256.pow2(-power * (i - 1)))
                i += 2
            }
            guard den != 0 else { throw .uncorrectable }
            let magnitude = GF256.mul(x, GF256.div(num, den))
            if magnitude != 0 { corrected += 1 }
            codeword[index] ^= magnitude
        }
        return corrected
    }
}
