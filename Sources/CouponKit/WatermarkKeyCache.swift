import Foundation
import Watermark

/// Derived watermark keys, shared by every reveal in the process. Deriving one costs
/// about 2.5 ms (it expands the tamper grid's NH key), more than the rest of a reveal
/// but the PNG decode, and the server reveals with the same few reveal keys for every
/// order. Bounded: at most 64 keys, dropped all at once when full.
final class WatermarkKeyCache: @unchecked Sendable {
    static let shared = WatermarkKeyCache()

    private let lock = NSLock()
    private var keys: [[UInt8]: WatermarkKey] = [:]
    private let capacity = 64

    func key(for revealKey: RevealKey) throws(WatermarkError) -> WatermarkKey {
        let bytes = revealKey.watermarkKey
        if let hit = lock.withLock({ keys[bytes] }) { return hit }
        let made = try WatermarkKey(bytes: bytes)
        lock.withLock {
            if keys.count >= capacity { keys.removeAll() }
            keys[bytes] = made
        }
        return made
    }
}
