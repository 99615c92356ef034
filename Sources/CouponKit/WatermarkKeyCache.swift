import Synchronization
import Watermark

/// Derived watermark keys, shared by every reveal in the process. Deriving one costs
/// about 2.5 ms (it expands the tamper grid's NH key), more than the rest of a reveal
/// but the PNG decode, and the server reveals with the same few reveal keys for every
/// order. Bounded: at most 64 keys, dropped all at once when full.
package final class WatermarkKeyCache: Sendable {
    package static let shared = WatermarkKeyCache()

    private let keys = Mutex<[[UInt8]: WatermarkKey]>([:])
    private let capacity = 64

    package func key(for revealKey: RevealKey) throws(WatermarkError) -> WatermarkKey {
        let bytes = revealKey.watermarkKey
        if let hit = keys.withLock({ $0[bytes] }) { return hit }
        let made = try WatermarkKey(bytes: bytes)
        keys.withLock { keys in
            if keys.count >= capacity { keys.removeAll() }
            keys[bytes] = made
        }
        return made
    }
}
