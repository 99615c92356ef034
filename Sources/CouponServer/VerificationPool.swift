import Foundation
import NIOCore
import NIOPosix

/// Where coupons are verified: on NIO's blocking thread pool (one thread per core), never
/// on the threads that serve requests, so `/healthz`, the catalog and everything else keep
/// answering while orders decode and verify images. At most `capacity` verifications
/// are admitted at a time, running or waiting; one more is refused at once with
/// `ServerBusy` (503 `server_busy` with `Retry-After`) instead of queueing without
/// bound. Admission costs a lock; the work costs what verification costs.
///
/// Each verification reports to ``ServerMetrics`` how long it waited from admission to
/// its start on a thread, and how long it ran.
final class VerificationPool: @unchecked Sendable {
    /// Running plus waiting verifications allowed; nil: unbounded, on the caller's task.
    let capacity: Int?
    private let threads: NIOThreadPool
    private let metrics: ServerMetrics?
    private let lock = NSLock()
    private var admitted = 0

    /// `queue` verifications may wait behind the pool's threads (one per core).
    init(queue: Int, threads: NIOThreadPool = .singleton, metrics: ServerMetrics? = nil) {
        self.threads = threads
        self.capacity = max(1, System.coreCount + queue)
        self.metrics = metrics
    }

    /// No pool: every verification runs at once on the request's own task, as the server
    /// did before the pool existed (`serve --verify-inline`, for comparing the two).
    static func unbounded(metrics: ServerMetrics? = nil) -> VerificationPool { VerificationPool(metrics: metrics) }

    private init(metrics: ServerMetrics?) {
        threads = .singleton
        capacity = nil
        self.metrics = metrics
    }

    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let admittedAt = ContinuousClock.now
        let metrics = self.metrics
        let timed: @Sendable () throws -> T = {
            let start = ContinuousClock.now
            defer { metrics?.verified(wait: start - admittedAt, run: ContinuousClock.now - start) }
            return try work()
        }
        guard let capacity else { return try timed() }
        let entered = lock.withLock {
            guard admitted < capacity else { return false }
            admitted += 1
            return true
        }
        guard entered else { throw ServerBusy(retryAfterSeconds: 1) }
        defer { lock.withLock { admitted -= 1 } }
        return try await threads.runIfActive(timed)
    }
}

/// Every coupon verifier is busy and the queue is full; nothing was done.
struct ServerBusy: Error, Equatable {
    let retryAfterSeconds: Int
}
