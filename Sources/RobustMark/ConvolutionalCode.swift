/// The rate-1/2 convolutional code with constraint length 7 and generators 171, 133
/// (octal), the one used by Voyager, 802.11 and DVB, with soft-decision Viterbi decoding.
/// The encoder ends in the zero state (``memory`` tail bits), so the decoder traces back
/// from it.
enum ConvolutionalCode {
    static let memory = 6
    static let states = 1 << memory
    static let generators: (UInt8, UInt8) = (0o171, 0o133)

    /// The two output bits for a 7-bit register (newest bit lowest).
    @inline(__always)
    static func outputs(_ register: Int) -> (UInt8, UInt8) {
        let r = UInt8(register)
        return (UInt8((r & generators.0).nonzeroBitCount & 1), UInt8((r & generators.1).nonzeroBitCount & 1))
    }

    /// `bits` (0 or 1 each) and the tail, encoded: `2 * (bits.count + memory)` bits.
    static func encode(_ bits: [UInt8]) -> [UInt8] {
        var register = 0
        var out: [UInt8] = []
        out.reserveCapacity(2 * (bits.count + memory))
        for bit in bits + [UInt8](repeating: 0, count: memory) {
            register = ((register << 1) | Int(bit)) & 0x7F
            let (a, b) = outputs(register)
            out.append(a)
            out.append(b)
        }
        return out
    }

    /// The most likely `infoBits` bits given soft values for each coded bit (positive:
    /// more likely 1; the magnitude is the confidence).
    static func decode(_ soft: [Float], infoBits: Int) -> [UInt8] {
        let steps = soft.count / 2
        precondition(steps == infoBits + memory, "soft values do not match the code length")
        var metric = [Float](repeating: -.infinity, count: states)
        metric[0] = 0
        var next = [Float](repeating: 0, count: states)
        // survivors[t * states + state]: the 7-bit register that reached `state` at step t.
        var survivors = [UInt8](repeating: 0, count: steps * states)
        let outputBits = Self.outputBits
        outputBits.withUnsafeBufferPointer { code in
            survivors.withUnsafeMutableBufferPointer { survivors in
                for t in 0..<steps {
                    // Each output bit's term, by its value: -s for 0, s for 1.
                    let s0 = soft[2 * t], s1 = soft[2 * t + 1]
                    let first = (-s0, s0), second = (-s1, s1)
                    metric.withUnsafeBufferPointer { metric in
                        next.withUnsafeMutableBufferPointer { next in
                            for state in 0..<states {
                                // Registers ending in `state`: the previous state's top bit was 0 or 1.
                                let r0 = state, r1 = state | 0x40
                                let c0 = code[r0], c1 = code[r1]
                                let m0 = metric[r0 >> 1] + (c0 & 2 == 0 ? first.0 : first.1)
                                    + (c0 & 1 == 0 ? second.0 : second.1)
                                let m1 = metric[r1 >> 1] + (c1 & 2 == 0 ? first.0 : first.1)
                                    + (c1 & 1 == 0 ? second.0 : second.1)
                                let takeOne = m1 > m0
                                next[state] = takeOne ? m1 : m0
                                survivors[t &* states &+ state] = UInt8(takeOne ? r1 : r0)
                            }
                        }
                    }
                    swap(&metric, &next)
                }
            }
        }
        var bits = [UInt8](repeating: 0, count: steps)
        var state = 0
        for t in stride(from: steps - 1, through: 0, by: -1) {
            let register = Int(survivors[t * states + state])
            bits[t] = UInt8(register & 1)
            state = register >> 1
        }
        return Array(bits.prefix(infoBits))
    }

    /// The `count` most likely distinct `infoBits`-bit messages given `soft`, most likely
    /// first (fewer when the trellis has fewer paths): the parallel list Viterbi algorithm
    /// (Seshadri and Sundberg, 1994), which keeps the `count` best paths into every state
    /// instead of one. With `count` 1 it is ``decode(_:infoBits:)``.
    ///
    /// A check on the message (the robust layer's tag) picks the first that passes: a
    /// list decoder recovers messages a single path misses when the channel is near the
    /// code's limit, and each path tried is one more hypothesis the check pays for.
    static func decodeList(_ soft: [Float], infoBits: Int, count: Int) -> [[UInt8]] {
        let steps = soft.count / 2
        precondition(steps == infoBits + memory, "soft values do not match the code length")
        precondition((1...128).contains(count), "list sizes are 1 to 128")
        let width = count
        // metrics[state * width + rank], best first; -infinity where a state has fewer paths.
        var metrics = [Float](repeating: -.infinity, count: states * width)
        metrics[0] = 0
        var next = metrics
        // back[(t * states + state) * width + rank]: bit 7 whether the register's top bit
        // (the bit leaving the previous state) was 1, bits 0-6 the rank in that state's list.
        var back = [UInt8](repeating: 0, count: steps * states * width)
        let outputBits = Self.outputBits
        outputBits.withUnsafeBufferPointer { code in
            back.withUnsafeMutableBufferPointer { back in
                for t in 0..<steps {
                    let s0 = soft[2 * t], s1 = soft[2 * t + 1]
                    metrics.withUnsafeBufferPointer { metrics in
                        next.withUnsafeMutableBufferPointer { next in
                            for state in 0..<states {
                                let r0 = state, r1 = state | 0x40
                                let c0 = code[r0], c1 = code[r1]
                                let b0 = (c0 & 2 == 0 ? -s0 : s0) + (c0 & 1 == 0 ? -s1 : s1)
                                let b1 = (c1 & 2 == 0 ? -s0 : s0) + (c1 & 1 == 0 ? -s1 : s1)
                                let from0 = (r0 >> 1) * width, from1 = (r1 >> 1) * width
                                let to = state * width, links = (t * states + state) * width
                                // Merge the two sorted lists, keeping the best `width`.
                                var i = 0, j = 0
                                for rank in 0..<width {
                                    let m0 = i < width ? metrics[from0 + i] + b0 : -.infinity
                                    let m1 = j < width ? metrics[from1 + j] + b1 : -.infinity
                                    if m1 > m0 {
                                        next[to + rank] = m1
                                        back[links + rank] = 0x80 | UInt8(j)
                                        j += 1
                                    } else {
                                        next[to + rank] = m0
                                        back[links + rank] = UInt8(i)
                                        i += 1
                                    }
                                }
                            }
                        }
                    }
                    swap(&metrics, &next)
                }
            }
        }
        // The encoder ends in state 0: its list, traced back.
        return (0..<width).compactMap { rank -> [UInt8]? in
            guard metrics[rank] > -.infinity else { return nil }
            var bits = [UInt8](repeating: 0, count: steps)
            var (state, rank) = (0, rank)
            for t in stride(from: steps - 1, through: 0, by: -1) {
                let link = back[(t * states + state) * width + rank]
                let register = link & 0x80 == 0 ? state : state | 0x40
                bits[t] = UInt8(register & 1)
                (state, rank) = (register >> 1, Int(link & 0x7F))
            }
            return Array(bits.prefix(infoBits))
        }
    }

    /// Each 7-bit register's two output bits as `2 * first + second`, looked up once.
    private static let outputBits: [UInt8] = (0..<2 * states).map { register in
        let (a, b) = outputs(register)
        return 2 * a + b
    }
}
