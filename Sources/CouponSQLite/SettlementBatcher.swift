import CouponStore
import Foundation
import GRDB
import Synchronization

/// Group commit for ``SQLiteStore/settle(_:)``. Every commit waits for SQLite to sync the
/// WAL (synchronous=FULL, which the store sets on its writer: an acknowledged order
/// survives a crash), and one writer commits at a time, so settling each order in its
/// own transaction caps orders/s at one per sync. Settlements that arrive while a commit
/// is under way wait and are then written together: one write transaction, each
/// settlement in its own savepoint (one that throws, say a coupon's limit reached, is
/// rolled back alone and its caller gets the error), one commit, one sync; only then is
/// any caller answered. Limits are still counted inside the transaction, in arrival
/// order, each settlement seeing the ones before it.
final class SettlementBatcher: Sendable {
    typealias Work = @Sendable (Database, Settlement) throws -> SettlementOutcome

    private struct Pending {
        let settlement: Settlement
        let continuation: CheckedContinuation<SettlementOutcome, any Error>
    }

    private let writer: any DatabaseWriter
    private let work: Work
    private let queue = Mutex((pending: [Pending](), draining: false))

    init(writer: any DatabaseWriter, work: @escaping Work) {
        self.writer = writer
        self.work = work
    }

    func settle(_ settlement: Settlement) async throws -> SettlementOutcome {
        try await withCheckedThrowingContinuation { continuation in
            let start = queue.withLock { queue in
                queue.pending.append(Pending(settlement: settlement, continuation: continuation))
                if queue.draining { return false }
                queue.draining = true
                return true
            }
            if start { Task { await self.drain() } }
        }
    }

    /// Writes batches until nothing is waiting.
    private func drain() async {
        while true {
            let batch = queue.withLock { queue in
                let batch = queue.pending
                queue.pending = []
                if batch.isEmpty { queue.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            await write(batch)
        }
    }

    private func write(_ batch: [Pending]) async {
        let work = self.work
        let settlements = batch.map(\.settlement)
        let results: [Result<SettlementOutcome, any Error>]
        do {
            results = try await writer.write { db in
                settlements.map { settlement in Result { try Self.inSavepoint(db) { try work(db, settlement) } } }
            }
        } catch {
            for item in batch { item.continuation.resume(throwing: error) }
            return
        }
        for (item, result) in zip(batch, results) { item.continuation.resume(with: result) }
    }

    /// Runs `body` in a savepoint: released when it returns, rolled back when it throws.
    /// Once SQLite has rolled the whole transaction back (an I/O error, a full disk), the
    /// settlements left in the batch are refused rather than committed one by one.
    private static func inSavepoint<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        guard db.isInsideTransaction else {
            throw DatabaseError(resultCode: .SQLITE_ABORT, message: "the batch's transaction was rolled back")
        }
        try db.executeCached(sql: "SAVEPOINT settlement")
        do {
            let value = try body()
            try db.executeCached(sql: "RELEASE SAVEPOINT settlement")
            return value
        } catch {
            try db.executeCached(sql: "ROLLBACK TO SAVEPOINT settlement")
            try db.executeCached(sql: "RELEASE SAVEPOINT settlement")
            throw error
        }
    }
}
