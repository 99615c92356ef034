import ImageCore
@testable import RobustMark
import Testing
import TestSupport

/// `RobustMark.capacity(of:key:id:)`: what a copy's mark could still carry, the measure the
/// trial's `--misses` reports to tell a lost search from a mark too faint for any code.
@Suite struct RobustCapacityTests {
    @Test func theChannelCapacityMatchesKnownValues() {
        #expect(RobustCapacity.binaryGaussianCapacity(0) == 0)
        #expect(RobustCapacity.binaryGaussianCapacity(-1) == 0)
        // The binary-input Gaussian channel at 0 dB carries 0.486 bits per use.
        #expect(abs(RobustCapacity.binaryGaussianCapacity(1) - 0.486) < 0.002)
        #expect(RobustCapacity.binaryGaussianCapacity(5) > 0.999)
        let rising = [0.1, 0.3, 0.6, 1, 2].map(RobustCapacity.binaryGaussianCapacity)
        #expect(rising == rising.sorted())
    }

    @Test func aMarkedCopyCarriesFarMoreThanThePayloadAndAnotherIdentifierNothing() throws {
        let key = RobustMarkTests.key, id = RobustMarkTests.id
        let marked = try #require(RobustMark.capacity(of: RobustMarkTests.marked, key: key, id: id))
        #expect(marked.bits > 2 * Double(RobustCapacity.neededBits), "\(marked)")
        #expect(marked.pilotScore > 6 && marked.cellSNR > 1)
        // Measured against an unrelated identifier, the cells carry nothing (one a bit away
        // would share most of its coded bits: the code is linear and its tail local).
        let other = try #require(RobustMark.capacity(of: RobustMarkTests.marked, key: key, id: 0x5EED_1234_DEAD_BEEF))
        #expect(other.bits < 10, "\(other)")
        // Nor does the unmarked artwork carry anything for the identifier.
        let unmarked = try #require(RobustMark.capacity(of: try RobustMarkTests.coupon(), key: key, id: id))
        #expect(unmarked.bits < 10, "\(unmarked)")
    }

    @Test func noiseLowersWhatTheMarkCanCarry() throws {
        var noisy = RobustMarkTests.marked
        var random = SplitMix64(seed: 5)
        for i in noisy.bytes.indices {
            let noise = Int(random.next() % 25) - 12
            noisy.bytes[i] = UInt8(clamping: Int(noisy.bytes[i]) + noise)
        }
        let clean = try #require(RobustMark.capacity(of: RobustMarkTests.marked, key: RobustMarkTests.key, id: RobustMarkTests.id))
        let degraded = try #require(RobustMark.capacity(of: noisy, key: RobustMarkTests.key, id: RobustMarkTests.id))
        #expect(degraded.bits < clean.bits, "\(degraded) against \(clean)")
        #expect(degraded.cellSNR < clean.cellSNR)
    }

    @Test func aPictureTooThinToSearchHasNoCapacity() {
        let thin = PixelBuffer(width: 16, height: 400, format: .rgb8)
        #expect(RobustMark.capacity(of: thin, key: RobustMarkTests.key, id: 1) == nil)
    }
}
