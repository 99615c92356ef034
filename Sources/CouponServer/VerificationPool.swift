import Foundation
import NIOCore
import NIOPosix

/// Where coupons are verified: on NIO's blocking thread pool (one thread per core), never
/// on the threads that serve requests, so `/healthz`, the catalog and everything else keep
/// answering while orders decode and verify images. At most ``capacity`` verifications
/// are admitted at a time, running or waiting; one more is refused at once with
/// ``ServerBusy`` (503 `server_busy` with `Retry-After`) instead of queueing without
/// bound. Admission costs a lock; the work costs what verification costs.
final class VerificationPool: @unchecked Sendable {
    /// Running plus waiting verifications allowed; nil: unbounded, on the caller's task.
    let capacity: Int?
    private let threads: NIOThreadPool
    private let lock = NSLock()
    private var admitted = 0

    /// `queue` verifications may wait behind the pool's threads (one per core).
    init(queue: Int, threads: NIOThreadPool = .singleton) {
        self.threads = threads
        self.capacity = max(1, System.coreCount + queue)
    }

    /// No pool: every verification runs at once on the request's own task, as the server
    /// did before the pool existed (`serve --verify-inline`, for comparing the two).
    static var unbounded: VerificationPool { VerificationPool() }

    private init() {
        threads = .singleton
        capacity = nil
    }

    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        guard let capacity else { return try work() }
        let entered = lock.withLock {
            guard admitted < capacity else { return false }
            admitted += 1
            return true
        }
        guard entered else { throw ServerBusy(retryAfterSeconds: 1) }
        defer { lock.withLock { admitted -= 1 } }
        return try await threads.runIfActive(work)
    }
}

/// Every coupon verifier is busy and the queue is full; nothing was done.
struct ServerBusy: Error, Equatable {
    let retryAfterSeconds: Int
}
