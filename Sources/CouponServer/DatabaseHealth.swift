import CouponKit
import CouponStore
import Foundation

/// `/healthz`'s check of the database: the store's `HealthRepository/ping()` (`SELECT 1`),
/// bounded by `timeout`. A database that refuses, or does not answer in time (a stalled
/// PostgreSQL server, a pool with no free connection), is `DatabaseUnavailable` (503
/// `database_unavailable`), so a load balancer stops sending traffic to this instance.
///
/// The answer does not wait for the ping to end: a ping stuck below cancellation (a
/// blocked SQLite read) is left to finish on its own, and `/healthz` still answers in
/// `timeout`.
struct DatabaseHealth<Repository: HealthRepository>: Sendable {
    let repository: Repository
    let timeout: Duration

    func check() async throws(DatabaseUnavailable) {
        let repository = self.repository
        let answered = await FirstOf.race(timeout: timeout) {
            do {
                try await repository.ping()
                return true
            } catch {
                return false
            }
        }
        switch answered {
        case true?: return
        case false?: throw DatabaseUnavailable(detail: "the database refused a trivial query")
        case nil: throw DatabaseUnavailable(detail: "the database did not answer within \(timeout)")
        }
    }
}

/// The database does not answer (`DatabaseHealth`); the detail never names its address.
struct DatabaseUnavailable: ReasonCoded, CustomStringConvertible {
    let detail: String
    var reasonCode: ReasonCode { .databaseUnavailable }
    var description: String { detail }
}

/// Whichever comes first: `work`'s result, or nil after `timeout`. The loser is
/// cancelled and nobody waits for it.
final class FirstOf<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Value?, Never>?
    private var tasks: [Task<Void, Never>] = []

    private init(_ continuation: CheckedContinuation<Value?, Never>) {
        self.continuation = continuation
    }

    static func race(timeout: Duration, _ work: @escaping @Sendable () async -> Value) async -> Value? {
        await withCheckedContinuation { continuation in
            let race = FirstOf(continuation)
            race.add(Task { race.finish(await work()) })
            race.add(
                Task {
                    do { try await Task.sleep(for: timeout) } catch { return }
                    race.finish(nil)
                })
        }
    }

    private func add(_ task: Task<Void, Never>) {
        let finished = lock.withLock {
            if continuation == nil { return true }
            tasks.append(task)
            return false
        }
        if finished { task.cancel() }
    }

    private func finish(_ value: Value?) {
        let (continuation, tasks) = lock.withLock {
            defer { (self.continuation, self.tasks) = (nil, []) }
            return (self.continuation, self.tasks)
        }
        guard let continuation else { return }
        for task in tasks { task.cancel() }
        continuation.resume(returning: value)
    }
}
