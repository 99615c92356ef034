import CouponKit
public import CouponStore
import Foundation
import Logging
import PostgresNIO

extension PostgresStore: OrderRepository {
    public func idempotencyRecord(memberId: String, key: String) async throws -> IdempotencyRecord? {
        try await rows(OrderPathStatements.IdempotencyRecord(memberId: memberId, key: key)).first
            .map(Self.idempotencyRecord(row:))
    }

    /// Settles in one statement, `settle_order(...)` (`PostgresSchema/version2`), its
    /// own READ COMMITTED transaction, which takes these steps in this order so that
    /// every decision that must hold across instances is taken by one statement:
    /// 1. claim the idempotency key (`INSERT ... ON CONFLICT DO NOTHING`; its order row
    ///    is checked at COMMIT). No row inserted: the key is taken, by a request that has
    ///    committed (a racing one in flight is waited for), so nothing is written and
    ///    its record is returned as `SettlementOutcome/alreadyRecorded(_:)`;
    /// 2. write the order, redemption, payment, the two ledger legs, and close the
    ///    ledger transaction (its trigger checks that it balances and matches the order);
    /// 3. with a coupon, lock its counter row (`coupon_uses`, created on first use). With
    ///    a total limit the lock is exclusive and raises the count in the same statement,
    ///    `INSERT ... ON CONFLICT DO UPDATE SET used = used + 1 WHERE used < limit`
    ///    (which locks the row whether it raises it or not), so the coupon's settlements
    ///    take turns; without one there is nothing to count and the lock is shared
    ///    (`FOR SHARE`), so they do not. Either way a revocation (which locks the row
    ///    `FOR UPDATE`) is committed before this settlement reads `revoked_coupons` (READ
    ///    COMMITTED: each statement of the function sees what committed before it) or
    ///    waits for the settlement to end;
    /// 4. refuse a revoked serial (`StoreError/couponRevoked(serial:)`); then, no row
    ///    raised in step 3 is `StoreError/couponExhausted(serial:perMember:)` for the
    ///    total;
    /// 5. with a limit per member, raise the member's counter (`coupon_member_uses`) the
    ///    same way; no row raised is the member's limit. A refusal is an exception in the
    ///    function, which rolls back everything the statement wrote.
    ///
    /// The counter's lock is taken last, so it is held only for steps 3-5 and the COMMIT.
    /// Counters count the uses of coupons that have the limit: a serial minted both with
    /// and without a limit (by its issuer's own doing) has only the limited coupon's uses
    /// counted, where the SQLite store counts every redemption of the serial.
    public func settle(_ settlement: Settlement) async throws -> SettlementOutcome {
        let found: [PostgresRow]
        do {
            found = try await rows(OrderPathStatements.Settle(settlement: settlement))
        } catch let error as PSQLError {
            throw settlement.redemption.flatMap { Self.refusal(error, serial: $0.serial) } ?? error
        }
        guard let record = found.first else { return .settled(settlement.order) }
        return .alreadyRecorded(try Self.idempotencyRecord(row: record))
    }

    /// The `StoreError` that `settle_order` refused with, by its SQLSTATE; nil for any
    /// other error.
    private static func refusal(_ error: PSQLError, serial: String) -> StoreError? {
        switch error.serverInfo?[.sqlState] {
        case PostgresSchema.revokedState: .couponRevoked(serial: serial)
        case PostgresSchema.exhaustedTotalState: .couponExhausted(serial: serial, perMember: false)
        case PostgresSchema.exhaustedPerMemberState: .couponExhausted(serial: serial, perMember: true)
        default: nil
        }
    }

    /// Locks the coupon's counter row `FOR UPDATE`, creating it on first use: how
    /// `revokeCoupon(serial:merchantId:at:)` takes its turn with the coupon's
    /// settlements (step 3 of `settle(_:)`). The row usually exists: one statement then.
    static func lockCounter(_ connection: PostgresConnection, issuerId: String, serial: String, logger: Logger) async throws {
        let lock: PostgresQuery =
            "SELECT used FROM coupon_uses WHERE issuer_id = \(issuerId) AND serial = \(serial) FOR UPDATE"
        if !(try await connection.rows(lock, logger: logger)).isEmpty { return }
        try await connection.run(
            "INSERT INTO coupon_uses (issuer_id, serial) VALUES (\(issuerId), \(serial)) ON CONFLICT DO NOTHING",
            logger: logger)
        // A new statement: it sees the row, inserted now or by a racing transaction that
        // the INSERT waited for.
        try await connection.run(lock, logger: logger)
    }

    public func orders(memberId: String) async throws -> [Order] {
        try await rows("SELECT * FROM orders WHERE member_id = \(memberId) ORDER BY seq").map(Self.order(row:))
    }

    public func orders(merchantId: String) async throws -> [Order] {
        try await rows("SELECT * FROM orders WHERE merchant_id = \(merchantId) ORDER BY seq").map(Self.order(row:))
    }

    public func ledgerEntries() async throws -> [LedgerEntry] {
        try await rows("SELECT * FROM ledger_entries ORDER BY id").map { row throws(StoreError) in
            try StoredRecord.ledgerEntry(PostgresRowReader(row, table: "ledger_entries"))
        }
    }

    static func order(row: PostgresRow) throws(StoreError) -> Order {
        try StoredRecord.order(PostgresRowReader(row, table: "orders"))
    }

    /// A row of `idempotency_keys` (the lookup's, or the one `settle_order` returns for a
    /// taken key).
    static func idempotencyRecord(row: PostgresRow) throws(StoreError) -> IdempotencyRecord {
        try StoredRecord.idempotencyRecord(PostgresRowReader(row, table: "idempotency_keys"))
    }
}
