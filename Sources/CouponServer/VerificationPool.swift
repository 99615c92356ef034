import NIOCore
import NIOPosix
import Synchronization

/// Where coupons are verified: on a thread pool of the server's own (one thread per core),
/// never on the threads that serve requests, so `/healthz`, the catalog and everything
/// else keep answering while orders decode and verify images. At most ``capacity``
/// verifications are admitted at a time, running or waiting; one more is refused at once
/// with ``ServerBusy`` (503 `server_busy` with `Retry-After`) instead of queueing without
/// bound. Admission costs a lock; the work costs what verification costs.
///
/// Each server owns its pool (never NIO's process-wide singleton), so one server's slow
/// verifications (or a test's deliberately slow verifier) never hold another's threads.
/// The threads stop when the pool is released.
///
/// Each verification reports to ``ServerMetrics`` how long it waited from admission to
/// its start on a thread, and how long it ran.
final class VerificationPool: Sendable {
    /// Running plus waiting verifications allowed; nil: unbounded, on the caller's task.
    let capacity: Int?
    private let threads: NIOThreadPool?
    private let metrics: ServerMetrics?
    private let admitted = Mutex(0)

    /// `queue` verifications may wait behind the pool's threads (one per core).
    init(queue: Int, metrics: ServerMetrics? = nil) {
        let threads = NIOThreadPool(numberOfThreads: System.coreCount)
        threads.start()
        self.threads = threads
        self.capacity = max(1, System.coreCount + queue)
        self.metrics = metrics
    }

    /// No pool: every verification runs at once on the request's own task, as the server
    /// did before the pool existed (`serve --verify-inline`, for comparing the two).
    static func unbounded(metrics: ServerMetrics? = nil) -> VerificationPool { VerificationPool(metrics: metrics) }

    private init(metrics: ServerMetrics?) {
        threads = nil
        capacity = nil
        self.metrics = metrics
    }

    deinit {
        // Work still running keeps the pool alive until it finishes; the threads then end.
        threads?.shutdownGracefully { _ in }
    }

    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let admittedAt = ContinuousClock.now
        let metrics = self.metrics
        let timed: @Sendable () throws -> T = {
            let start = ContinuousClock.now
            defer { metrics?.verified(wait: start - admittedAt, run: ContinuousClock.now - start) }
            return try work()
        }
        guard let capacity, let threads else { return try timed() }
        let entered = admitted.withLock { admitted in
            guard admitted < capacity else { return false }
            admitted += 1
            return true
        }
        guard entered else { throw ServerBusy(retryAfterSeconds: 1) }
        defer { admitted.withLock { $0 -= 1 } }
        return try await threads.runIfActive(timed)
    }
}

/// Every coupon verifier is busy and the queue is full; nothing was done.
struct ServerBusy: Error, Equatable {
    let retryAfterSeconds: Int
}
