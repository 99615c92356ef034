import CouponKit
import CouponMinting
import Synchronization

/// The personal coupons' originals, opened once per process (`CouponPersonaliser.Original`:
/// the decoded pixels, the sealed token, the reveal key), by coupon id: a copy costs a
/// re-mark and an encode, not a PNG decode and a reveal. A coupon never changes, so an
/// entry never goes stale. At most `capacity` entries (an 800x400 original is 1 MB of
/// pixels); when full, it starts again empty.
final class PersonalOriginals: Sendable {
    static let capacity = 32
    private let originals = Mutex([String: CouponPersonaliser.Original]())

    func original(of couponId: String) -> CouponPersonaliser.Original? {
        originals.withLock { $0[couponId] }
    }

    func remember(_ original: CouponPersonaliser.Original, of couponId: String) {
        originals.withLock { originals in
            if originals.count >= Self.capacity { originals.removeAll(keepingCapacity: true) }
            originals[couponId] = original
        }
    }
}
