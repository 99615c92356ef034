import Foundation

/// A fresh data directory under the system temp directory (not created: the stores make
/// their own, with their own permissions).
public func makeTemporaryDirectory() -> String {
    NSTemporaryDirectory() + "couponmark-tests-" + UUID().uuidString
}
