import CouponKit
import CouponStore
import Foundation
import Synchronization

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
final class FirstOf<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value?, Never>?
        var tasks: [Task<Void, Never>] = []
    }

    private let state: Mutex<State>

    private init(_ continuation: CheckedContinuation<Value?, Never>) {
        state = Mutex(State(continuation: continuation))
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
        let finished = state.withLock { state in
            if state.continuation == nil { return true }
            state.tasks.append(task)
            return false
        }
        if finished { task.cancel() }
    }

    private func finish(_ value: Value?) {
        let (continuation, tasks) = state.withLock { state in
            defer { state = State() }
            return (state.continuation, state.tasks)
        }
        guard let continuation else { return }
        for task in tasks { task.cancel() }
        continuation.resume(returning: value)
    }
}
