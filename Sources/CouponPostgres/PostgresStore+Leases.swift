import CouponStore
import NIOConcurrencyHelpers
import PostgresNIO

/// Every statement of the store runs on a connection leased here, for the length of one
/// closure, and nowhere else.
///
/// ## Why not `PostgresClient.query` or `execute`
///
/// postgres-nio's `PostgresClient.query(_:)` and `execute(_:)` lease a connection and hand
/// it back only when the returned row sequence finishes (its `onFinish`). With them, two
/// instances whose members raced for single-use coupons (39 refused settlements a round)
/// wedged for good: `tools/race` against the previous binaries had one instance stop
/// answering orders and `/healthz` in round 3, its four pooled connections idle in
/// `ClientRead` on the server, leased and never given back. The likely hole is in
/// postgres-nio 1.33.2's `PSQLRowStream.asyncSequence(onFinish:)`: a stream that already
/// failed when the caller attaches to it (the statement bound, then refused, before the
/// caller's task registered its callback) finishes the sequence with the error without
/// calling `onFinish`. Whatever the exact interleaving, `PostgresClient.withConnection(_:)`
/// hands the lease back when its closure returns or throws, whatever state the rows are
/// in; with every statement here going through it, the same race ran 25 rounds of 40 on
/// both instances with nothing leased afterwards (`CrossInstanceRaceTests`).
///
/// ## The lease deadline
///
/// A wait for a connection ends after ``PostgresStore/leaseTimeout``: the pool's lease
/// request is cancelled and the caller gets `StoreError/busy(retryAfterSeconds:)` (503
/// `server_busy` with `Retry-After`), never a hang. The deadline covers only the wait:
/// once leased, a statement runs to its end (a settlement is never cut off half-way by
/// this clock). ``PostgresStore/leasedConnections`` counts the leases held at this moment,
/// which `/metrics` reports: zero on an idle instance.
extension PostgresStore {
    /// Runs `body` on a pooled connection leased for it alone, waiting at most
    /// `leaseTimeout` for one (`StoreError/busy(retryAfterSeconds:)` after that).
    func withConnection<Value: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        let lease = LeaseDeadline()
        let (client, leases, timeout) = (self.client, self.leases, self.leaseTimeout)
        return try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask {
                try await client.withConnection { connection in
                    // Leased after the deadline passed: the caller has been answered busy.
                    guard lease.begin() else { throw CancellationError() }
                    leases.withLockedValue { $0 += 1 }
                    defer { leases.withLockedValue { $0 -= 1 } }
                    return try await body(connection)
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                guard lease.expire() else { return nil }
                throw StoreError.busy(retryAfterSeconds: max(1, Int(timeout.components.seconds)))
            }
            while let next = try await group.next() {
                guard let value = next else { continue }
                group.cancelAll()
                return value
            }
            // Unreachable: the work's task returns a value or throws.
            throw CancellationError()
        }
    }

    /// Leases held at this moment (statements and transactions running).
    public var leasedConnections: Int? { leases.withLockedValue { $0 } }
}

/// One wait for a lease: whichever comes first, the lease or the deadline, wins.
private final class LeaseDeadline: Sendable {
    private enum State { case waiting, leased, expired }
    private let state = NIOLockedValueBox(State.waiting)

    /// The lease came; false when the deadline passed first.
    func begin() -> Bool {
        state.withLockedValue { state in
            guard state == .waiting else { return false }
            state = .leased
            return true
        }
    }

    /// The deadline passed; false when the lease came first.
    func expire() -> Bool {
        state.withLockedValue { state in
            guard state == .waiting else { return false }
            state = .expired
            return true
        }
    }
}
