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

    /// Each 7-bit register's two output bits as `2 * first + second`, looked up once.
    private static let outputBits: [UInt8] = (0..<2 * states).map { register in
        let (a, b) = outputs(register)
        return 2 * a + b
    }
}
