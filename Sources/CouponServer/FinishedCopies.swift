import Synchronization

/// The members' copies made most recently, as PNG bytes, by coupon and member: a member
/// who asks for their copy again (a page reloaded, a script in a loop) is answered with
/// the bytes made before instead of a re-mark and an encode each time (about 5 ms of CPU).
/// A first copy is always made. At most `capacity` entries (about 130 KB each); when full,
/// it starts again empty.
final class FinishedCopies: Sendable {
    static let capacity = 256
    private let copies = Mutex([Key: (png: [UInt8], copyId: String)]())

    struct Key: Hashable, Sendable {
        let couponId: String
        let memberId: String
    }

    func copy(of couponId: String, for memberId: String) -> (png: [UInt8], copyId: String)? {
        copies.withLock { $0[Key(couponId: couponId, memberId: memberId)] }
    }

    func remember(_ png: [UInt8], copyId: String, of couponId: String, for memberId: String) {
        copies.withLock { copies in
            if copies.count >= Self.capacity { copies.removeAll(keepingCapacity: true) }
            copies[Key(couponId: couponId, memberId: memberId)] = (png, copyId)
        }
    }
}
