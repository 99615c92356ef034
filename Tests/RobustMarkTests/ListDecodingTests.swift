import Foundation
@testable import RobustMark
import Testing
import TestSupport

/// `ConvolutionalCode.decodeList`: the parallel list Viterbi decoder the detector tries
/// eight payloads with, against the single-path decoder beside it.
@Suite struct ListDecodingTests {
    static let infoBits = RobustLayout.infoBits

    /// Random message bits and their code words' soft values (+-1) with Gaussian noise.
    static func noisy(_ random: inout SplitMix64, sigma: Float) -> (bits: [UInt8], soft: [Float]) {
        let bits = (0..<infoBits).map { _ in UInt8(random.next() & 1) }
        let soft = ConvolutionalCode.encode(bits).map { bit -> Float in
            // Box-Muller from two uniforms in (0, 1].
            let u = Float(random.next() >> 40 + 1) / Float(1 << 24)
            let v = Float(random.next() >> 40) / Float(1 << 24)
            let gaussian = (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
            return Float(bit) * 2 - 1 + sigma * gaussian
        }
        return (bits, soft)
    }

    /// How well a message's code word matches the soft values (the Viterbi path metric).
    static func metric(_ bits: [UInt8], _ soft: [Float]) -> Float {
        zip(ConvolutionalCode.encode(bits), soft).reduce(0) { $0 + (Float($1.0) * 2 - 1) * $1.1 }
    }

    @Test func theListStartsWithTheSinglePathAndIsRankedAndDistinct() {
        var random = SplitMix64(seed: 21)
        for sigma: Float in [0.3, 0.8, 1.2, 2] {
            for _ in 0..<20 {
                let (_, soft) = Self.noisy(&random, sigma: sigma)
                let list = ConvolutionalCode.decodeList(soft, infoBits: Self.infoBits, count: 8)
                #expect(list.count == 8)
                #expect(list.first == ConvolutionalCode.decode(soft, infoBits: Self.infoBits))
                #expect(Set(list).count == list.count, "paths repeat")
                let metrics = list.map { Self.metric($0, soft) }
                #expect(zip(metrics, metrics.dropFirst()).allSatisfy { $0 >= $1 - 1e-3 }, "\(metrics)")
                #expect(ConvolutionalCode.decodeList(soft, infoBits: Self.infoBits, count: 1) == [list[0]])
            }
        }
    }

    @Test func theListHoldsMessagesTheSinglePathMisses() {
        // Noise where a single path loses about half of the messages.
        var random = SplitMix64(seed: 8)
        var (single, listed) = (0, 0)
        for _ in 0..<300 {
            let (bits, soft) = Self.noisy(&random, sigma: 1.05)
            let list = ConvolutionalCode.decodeList(soft, infoBits: Self.infoBits, count: 8)
            if list.first == bits { single += 1 }
            if list.contains(bits) { listed += 1 }
        }
        #expect(single > 30 && single < 270, "the noise is not near the code's limit: \(single) of 300")
        #expect(listed >= single + 15, "the list recovers \(listed), one path \(single)")
    }

    @Test func aTinyTrellisHasFewerPathsThanAsked() {
        // Two message bits end in state 0 by four paths at most.
        let list = ConvolutionalCode.decodeList([Float](repeating: 0.5, count: 2 * (2 + ConvolutionalCode.memory)), infoBits: 2, count: 8)
        #expect(list.count == 4 && Set(list).count == 4)
    }
}
