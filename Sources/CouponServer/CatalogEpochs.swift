import Synchronization

/// The reveal-key epoch each stored coupon is sealed under, by coupon id, as the catalog
/// learns them: the epoch is in the picture (sealed), not in the coupon's row, and a
/// coupon never changes, so each is read (verified once, on the verification pool) at
/// most once per process, and the catalog's answer costs a dictionary look-up after that.
/// At most `capacity` entries; when full, it starts again empty.
final class CatalogEpochs: Sendable {
    static let capacity = 4096
    private let epochs = Mutex([String: UInt32]())

    func epoch(of couponId: String) -> UInt32? {
        epochs.withLock { $0[couponId] }
    }

    func remember(_ epoch: UInt32, of couponId: String) {
        epochs.withLock { epochs in
            if epochs.count >= Self.capacity { epochs.removeAll(keepingCapacity: true) }
            epochs[couponId] = epoch
        }
    }
}
