import CouponKit
public import CouponStore
import Foundation
import Logging
import PostgresNIO

extension PostgresStore: OrderRepository {
    public func idempotencyRecord(memberId: String, key: String) async throws -> IdempotencyRecord? {
        try await client.withConnection { connection in
            try await Self.idempotencyRecord(connection, memberId: memberId, key: key, logger: logger)
        }
    }

    /// Settles in one READ COMMITTED transaction, in this order, so that every decision
    /// that must hold across instances is taken by one statement:
    /// 1. claim the idempotency key (`INSERT ... ON CONFLICT DO NOTHING`; its order row
    ///    is checked at COMMIT). No row back: the key is taken, by a request that has
    ///    committed (a racing one in flight is waited for), so nothing is written and
    ///    its record is returned as ``SettlementOutcome/alreadyRecorded(_:)``;
    /// 2. write the order, redemption, payment, the two ledger legs, and close the
    ///    ledger transaction (its trigger checks that it balances and matches the order);
    /// 3. with a coupon, lock its counter row (`coupon_uses`, created on first use). With
    ///    a total limit the lock is exclusive and raises the count in the same statement,
    ///    `INSERT ... ON CONFLICT DO UPDATE SET used = used + 1 WHERE used < limit
    ///    RETURNING used` (which locks the row whether it raises it or not), so the
    ///    coupon's settlements take turns; without one there is nothing to count and the
    ///    lock is shared (`FOR SHARE`), so they do not. Either way a revocation (which
    ///    locks the row `FOR UPDATE`) is committed before this settlement reads
    ///    `revoked_coupons` (READ COMMITTED: each statement sees what committed before it)
    ///    or waits for the settlement to end;
    /// 4. refuse a revoked serial; then, no row back from step 3 is
    ///    ``StoreError/couponExhausted(serial:perMember:)`` for the total;
    /// 5. with a limit per member, raise the member's counter (`coupon_member_uses`) the
    ///    same way; no row back is the member's limit. A refusal's ROLLBACK takes back
    ///    everything written.
    ///
    /// The counter's lock is taken last, so it is held only for steps 3-5 and the COMMIT.
    /// Counters count the uses of coupons that have the limit: a serial minted both with
    /// and without a limit (by its issuer's own doing) has only the limited coupon's uses
    /// counted, where the SQLite store counts every redemption of the serial.
    public func settle(_ settlement: Settlement) async throws -> SettlementOutcome {
        let order = settlement.order
        let logger = self.logger
        return try await transaction { connection in
            let claimed = try await connection.rows(
                """
                INSERT INTO idempotency_keys (member_id, key, fingerprint, status, body, order_id, created_at)
                VALUES (\(order.memberId), \(settlement.idempotencyKey), \(settlement.response.fingerprint),
                    \(Int32(clamping: settlement.response.status)), \(Data(settlement.response.body)), \(order.id),
                    \(order.createdAt))
                ON CONFLICT (member_id, key) DO NOTHING RETURNING key
                """, logger: logger)
            if claimed.isEmpty {
                // READ COMMITTED: this statement sees the row that the conflict waited for.
                guard
                    let existing = try await Self.idempotencyRecord(
                        connection, memberId: order.memberId, key: settlement.idempotencyKey, logger: logger)
                else { throw StoreError.corruptRow(table: "idempotency_keys", column: "key") }
                return .alreadyRecorded(existing)
            }
            try await Self.insertOrder(connection, settlement, logger: logger)
            if let redemption = settlement.redemption {
                try await Self.countUse(connection, redemption, memberId: order.memberId, logger: logger)
            }
            return .settled(order)
        }
    }

    /// Locks the coupon's counter row, creating it on first use: `FOR UPDATE` for
    /// ``revokeCoupon(serial:merchantId:at:)``, which so takes its turn with the coupon's
    /// settlements, `FOR SHARE` for a settlement without a total limit (step 3 of
    /// ``settle(_:)``). The row usually exists: one statement then.
    static func lockCounter(
        _ connection: PostgresConnection, issuerId: String, serial: String, shared: Bool = false, logger: Logger
    ) async throws {
        let lock: PostgresQuery =
            shared
            ? "SELECT used FROM coupon_uses WHERE issuer_id = \(issuerId) AND serial = \(serial) FOR SHARE"
            : "SELECT used FROM coupon_uses WHERE issuer_id = \(issuerId) AND serial = \(serial) FOR UPDATE"
        if !(try await connection.rows(lock, logger: logger)).isEmpty { return }
        try await connection.run(
            "INSERT INTO coupon_uses (issuer_id, serial) VALUES (\(issuerId), \(serial)) ON CONFLICT DO NOTHING",
            logger: logger)
        // A new statement: it sees the row, inserted now or by a racing transaction that
        // the INSERT waited for.
        try await connection.run(lock, logger: logger)
    }

    /// Steps 3-5 of ``settle(_:)``. A limit of 0 inserts no row (and takes no lock): no
    /// use is allowed, whatever else holds.
    private static func countUse(
        _ connection: PostgresConnection, _ redemption: Settlement.Redemption, memberId: String, logger: Logger
    ) async throws {
        let (issuer, serial) = (redemption.issuerId, redemption.serial)
        var withinTotal = true
        if let limit = redemption.maxUsesTotal.map(Int64.init) {
            withinTotal = !(try await connection.rows(
                """
                INSERT INTO coupon_uses AS uses (issuer_id, serial, used)
                SELECT \(issuer), \(serial), 1 WHERE \(limit) > 0
                ON CONFLICT (issuer_id, serial) DO UPDATE SET used = uses.used + 1 WHERE uses.used < \(limit)
                RETURNING used
                """, logger: logger
            ).isEmpty)
        } else {
            try await lockCounter(connection, issuerId: issuer, serial: serial, shared: true, logger: logger)
        }
        try await Self.checkNotRevoked(connection, redemption, logger: logger)
        guard withinTotal else { throw StoreError.couponExhausted(serial: serial, perMember: false) }
        guard let limit = redemption.maxUsesPerMember.map(Int64.init) else { return }
        let perMember = try await connection.rows(
            """
            INSERT INTO coupon_member_uses AS uses (issuer_id, serial, member_id, used)
            SELECT \(issuer), \(serial), \(memberId), 1 WHERE \(limit) > 0
            ON CONFLICT (issuer_id, serial, member_id) DO UPDATE SET used = uses.used + 1 WHERE uses.used < \(limit)
            RETURNING used
            """, logger: logger)
        if perMember.isEmpty { throw StoreError.couponExhausted(serial: serial, perMember: true) }
    }

    /// Step 2 of ``settle(_:)``: the rows the SQLite store writes, in the same order.
    private static func insertOrder(_ connection: PostgresConnection, _ settlement: Settlement, logger: Logger) async throws {
        let order = settlement.order
        let currency = order.total.currency.code
        try await connection.run(
            """
            INSERT INTO orders (id, member_id, product_id, merchant_id, quantity, list_amount, discount_amount,
                total_amount, currency, coupon_serial, payment_id, transaction_id, created_at, coupon_layer)
            VALUES (\(order.id), \(order.memberId), \(order.productId), \(order.merchantId), \(Int64(order.quantity)),
                \(order.listTotal.amount), \(order.discount.amount), \(order.total.amount), \(currency),
                \(order.couponSerial), \(order.paymentId), \(order.transactionId), \(order.createdAt),
                \(order.couponLayer?.rawValue))
            """, logger: logger)
        if let redemption = settlement.redemption {
            try await connection.run(
                """
                INSERT INTO redemptions (issuer_id, serial, member_id, order_id, created_at)
                VALUES (\(redemption.issuerId), \(redemption.serial), \(order.memberId), \(order.id), \(order.createdAt))
                """, logger: logger)
        }
        try await connection.run(
            """
            INSERT INTO payments (id, order_id, transaction_id, amount, currency, status, created_at)
            VALUES (\(order.paymentId), \(order.id), \(order.transactionId), \(order.total.amount), \(currency),
                'settled', \(order.createdAt))
            """, logger: logger)
        // Double entry: the member pays, the merchant receives; the transaction sums to zero.
        try await connection.run(
            """
            INSERT INTO ledger_entries (transaction_id, account, amount, currency, created_at)
            VALUES (\(order.transactionId), \("member:\(order.memberId)"), \(0 - order.total.amount), \(currency),
                \(order.createdAt)),
                (\(order.transactionId), \("merchant:\(order.merchantId)"), \(order.total.amount), \(currency),
                \(order.createdAt))
            """, logger: logger)
        // Closing the transaction is what checks it.
        try await connection.run(
            "INSERT INTO ledger_transactions (id, created_at) VALUES (\(order.transactionId), \(order.createdAt))",
            logger: logger)
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

    private static func idempotencyRecord(
        _ connection: PostgresConnection, memberId: String, key: String, logger: Logger
    ) async throws -> IdempotencyRecord? {
        try await connection.rows(
            "SELECT fingerprint, status, body FROM idempotency_keys WHERE member_id = \(memberId) AND key = \(key)",
            logger: logger
        ).first.map { row throws(StoreError) in
            try StoredRecord.idempotencyRecord(PostgresRowReader(row, table: "idempotency_keys"))
        }
    }

    static func order(row: PostgresRow) throws(StoreError) -> Order {
        try StoredRecord.order(PostgresRowReader(row, table: "orders"))
    }
}
