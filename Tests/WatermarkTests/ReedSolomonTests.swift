import TestSupport
import Testing

@testable import Watermark

@Suite struct ReedSolomonTests {
    @Test(arguments: [(16, 28), (16, 41), (64, 255), (64, 100), (8, 9)])
    func correctsUpToT(parity: Int, length: Int) throws {
        let seed = UInt64(parity * 1000 + length)
        var rng = SplitMix64(seed: seed)
        let rs = ReedSolomon(parity: parity)
        for trial in 0..<60 {
            let data = rng.bytes(length - parity)
            let codeword = rs.encode(data)
            #expect(codeword.count == length)
            #expect(Array(codeword.prefix(data.count)) == data)
            var clean = codeword
            #expect(try rs.decode(&clean) == 0)
            let errors = trial % (parity / 2 + 1)
            var damaged = codeword
            var positions = Set<Int>()
            while positions.count < errors { positions.insert(Int.random(in: 0..<length, using: &rng)) }
            for p in positions { damaged[p] ^= UInt8.random(in: 1...255, using: &rng) }
            let corrected = try rs.decode(&damaged)
            #expect(corrected == errors, "seed \(seed) trial \(trial)")
            #expect(damaged == codeword, "seed \(seed) trial \(trial)")
        }
    }

    @Test(arguments: [(16, 41), (64, 255), (64, 120)])
    func correctsErrorsAndErasures(parity: Int, length: Int) throws {
        let seed = UInt64(parity * 7 + length)
        var rng = SplitMix64(seed: seed)
        let rs = ReedSolomon(parity: parity)
        for trial in 0..<80 {
            let codeword = rs.encode(rng.bytes(length - parity))
            let f = Int.random(in: 0...parity, using: &rng)
            let e = Int.random(in: 0...((parity - f) / 2), using: &rng)
            var positions = Array(0..<length).shuffled(using: &rng)
            let erased = Array(positions.prefix(f))
            positions.removeFirst(f)
            let wrong = Array(positions.prefix(e))
            var damaged = codeword
            // Erased symbols: about half really damaged, half intact.
            for p in erased where rng.next() & 1 == 1 { damaged[p] ^= UInt8.random(in: 1...255, using: &rng) }
            for p in wrong { damaged[p] ^= UInt8.random(in: 1...255, using: &rng) }
            let expectedCorrections = (0..<length).filter { damaged[$0] != codeword[$0] }.count
            let corrected = try rs.decode(&damaged, erasures: erased)
            #expect(damaged == codeword, "seed \(seed) trial \(trial): f \(f) e \(e)")
            #expect(corrected == expectedCorrections, "seed \(seed) trial \(trial)")
        }
    }

    @Test func failsBeyondErasureBound() {
        var rng = SplitMix64(seed: 78)
        let rs = ReedSolomon(parity: 16)
        for _ in 0..<50 {
            let codeword = rs.encode(rng.bytes(25))
            var positions = Array(0..<41).shuffled(using: &rng)
            let erased = Array(positions.prefix(10))
            positions.removeFirst(10)
            var damaged = codeword
            for p in erased { damaged[p] ^= 0x5A }
            for p in positions.prefix(4) { damaged[p] ^= 0xA5 }  // 2*4 + 10 = 18 > 16
            do {
                try rs.decode(&damaged, erasures: erased)
                #expect(damaged != codeword)
            } catch {
                #expect(error == .uncorrectable)
            }
        }
    }

    @Test func failsBeyondT() {
        var rng = SplitMix64(seed: 77)
        let rs = ReedSolomon(parity: 64)
        var detected = 0
        let trials = 100
        for _ in 0..<trials {
            let codeword = rs.encode(rng.bytes(191))
            var damaged = codeword
            var positions = Set<Int>()
            let errors = 33 + Int.random(in: 0..<20, using: &rng)
            while positions.count < errors { positions.insert(Int.random(in: 0..<255, using: &rng)) }
            for p in positions { damaged[p] ^= UInt8.random(in: 1...255, using: &rng) }
            do {
                try rs.decode(&damaged)
                // A miscorrection must never yield the original codeword.
                #expect(damaged != codeword)
            } catch {
                #expect(error == .uncorrectable)
                detected += 1
            }
        }
        // For t = 32 a miscorrection is astronomically unlikely: every failure should be detected.
        #expect(detected == trials)
    }

    @Test func rejectsBadLength() {
        let rs = ReedSolomon(parity: 16)
        var short = [UInt8](repeating: 0, count: 16)
        #expect(throws: ReedSolomonError.invalidLength) { try rs.decode(&short) }
    }
}
