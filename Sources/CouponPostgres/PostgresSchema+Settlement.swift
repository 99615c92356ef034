extension PostgresSchema {
    /// Version 2: `settle_order(...)`, the whole of ``PostgresStore/settle(_:)`` as one
    /// plpgsql function, so that a settlement is one statement and one round trip instead
    /// of ten (BEGIN, the key claim, five inserts, the counter, the revocation check,
    /// COMMIT), and its statements are parsed and planned once per connection (plpgsql
    /// keeps their plans) instead of once per order (postgres-nio's unnamed statements).
    /// On the 2-core load machine PostgreSQL's CPU per order was the difference between
    /// PostgreSQL and SQLite (Benchmarks/README.md, "Orders by store and instances").
    ///
    /// The function does what the Swift code did, statement for statement and in the same
    /// order, so every decision is still taken by one statement and the locks are taken in
    /// the same order (the counter last). A VOLATILE plpgsql function at READ COMMITTED
    /// takes a new snapshot for each statement, as separate statements did: the key's
    /// record read after a lost claim, and `revoked_coupons` read after the counter's lock,
    /// see what committed before them. The call is its own transaction (no BEGIN): a
    /// refusal is an exception, which rolls back everything the call wrote, and the
    /// deferred foreign keys are checked at its COMMIT as before. The ledger triggers of
    /// version 1 still run on every insert.
    ///
    /// - Parameters: `p_order` is the `orders` row as a JSON object keyed by column name
    ///   (`PostgresOrderRow`); `p_key`, `p_fingerprint`, `p_status`, `p_body` the
    ///   idempotency record; `p_issuer_id` and `p_serial` the redemption (both NULL
    ///   without a coupon) and its limits (NULL: none).
    /// - Returns: no row when the order settled; the key's stored record
    ///   (`replay_fingerprint`, `replay_status`, `replay_body`) when the key was taken.
    /// - Throws (SQLSTATE): `revokedState` for a revoked serial, `exhaustedTotalState`
    ///   and `exhaustedPerMemberState` for the limits, checked in that order.
    ///
    /// The order row is inserted whole from the JSON (`jsonb_populate_record` over the
    /// table's own row type, `seq` drawn from its identity sequence), so a column added to
    /// `orders` by a later version needs no new function: the Swift side adds its key to
    /// `PostgresOrderRow`. A key the JSON lacks is NULL, not the column's DEFAULT, so a
    /// new NOT NULL column must be sent.
    static let version2: [String] = [settleOrder(creating: "CREATE FUNCTION", limits: version2Limits)]

    /// `settle_order`: its parameters and steps 1 and 2 (the key, then the order's rows),
    /// the same in every version; `limits` is the rest, steps 3 to 5 and the function's
    /// end. A version's text never changes once released (`version2Limits` is version 2's).
    private static func settleOrder(creating: String, limits: String) -> String {
        """
        \(creating) settle_order(
            p_order jsonb, p_key text, p_fingerprint text, p_status integer, p_body bytea,
            p_issuer_id text, p_serial text, p_max_uses_total bigint, p_max_uses_per_member bigint
        ) RETURNS TABLE (replay_fingerprint text, replay_status integer, replay_body bytea)
        LANGUAGE plpgsql VOLATILE AS $$
        DECLARE
            o orders := jsonb_populate_record(NULL::orders, p_order);
            within_total boolean := true;
        BEGIN
            -- 1. Claim the key; a racing claim is waited for. Taken: its record, nothing written.
            INSERT INTO idempotency_keys (member_id, key, fingerprint, status, body, order_id, created_at)
            VALUES (o.member_id, p_key, p_fingerprint, p_status, p_body, o.id, o.created_at)
            ON CONFLICT (member_id, key) DO NOTHING;
            IF NOT FOUND THEN
                RETURN QUERY SELECT k.fingerprint, k.status, k.body FROM idempotency_keys k
                    WHERE k.member_id = o.member_id AND k.key = p_key;
                RETURN;
            END IF;
            -- 2. The order, redemption, payment, ledger legs, and the ledger close (checked by its trigger).
            o.seq := nextval(pg_get_serial_sequence('orders', 'seq'));
            INSERT INTO orders OVERRIDING SYSTEM VALUE VALUES (o.*);
            IF p_serial IS NOT NULL THEN
                INSERT INTO redemptions (issuer_id, serial, member_id, order_id, created_at)
                VALUES (p_issuer_id, p_serial, o.member_id, o.id, o.created_at);
            END IF;
            INSERT INTO payments (id, order_id, transaction_id, amount, currency, status, created_at)
            VALUES (o.payment_id, o.id, o.transaction_id, o.total_amount, o.currency, 'settled', o.created_at);
            INSERT INTO ledger_entries (transaction_id, account, amount, currency, created_at)
            VALUES (o.transaction_id, 'member:' || o.member_id, -o.total_amount, o.currency, o.created_at),
                (o.transaction_id, 'merchant:' || o.merchant_id, o.total_amount, o.currency, o.created_at);
            INSERT INTO ledger_transactions (id, created_at) VALUES (o.transaction_id, o.created_at);
            IF p_serial IS NULL THEN
                RETURN;
            END IF;
        \(limits)
        """
    }

    /// Step 4 of every version: a revoked serial, then the total (`within_total`).
    private static let revokedThenTotal = """
        -- 4. A revoked serial, then the total.
        IF EXISTS (SELECT 1 FROM revoked_coupons WHERE issuer_id = p_issuer_id AND serial = p_serial) THEN
            RAISE EXCEPTION 'the coupon is revoked' USING ERRCODE = '\(revokedState)';
        END IF;
        IF NOT within_total THEN
            RAISE EXCEPTION 'the coupon is used up' USING ERRCODE = '\(exhaustedTotalState)';
        END IF;
        """

    /// Version 2's limits: counters raised only under a limit.
    private static let version2Limits = """
            -- 3. The coupon's counter, locked last: raised under a total limit (no row: used up),
            -- else locked FOR SHARE (created on first use). A limit of 0 takes no lock.
            IF p_max_uses_total IS NOT NULL THEN
                INSERT INTO coupon_uses AS uses (issuer_id, serial, used)
                SELECT p_issuer_id, p_serial, 1 WHERE p_max_uses_total > 0
                ON CONFLICT (issuer_id, serial) DO UPDATE SET used = uses.used + 1 WHERE uses.used < p_max_uses_total;
                within_total := FOUND;
            ELSE
                PERFORM 1 FROM coupon_uses WHERE issuer_id = p_issuer_id AND serial = p_serial FOR SHARE;
                IF NOT FOUND THEN
                    INSERT INTO coupon_uses (issuer_id, serial) VALUES (p_issuer_id, p_serial) ON CONFLICT DO NOTHING;
                    PERFORM 1 FROM coupon_uses WHERE issuer_id = p_issuer_id AND serial = p_serial FOR SHARE;
                END IF;
            END IF;
            \(revokedThenTotal)
            -- 5. The member's counter.
            IF p_max_uses_per_member IS NOT NULL THEN
                INSERT INTO coupon_member_uses AS uses (issuer_id, serial, member_id, used)
                SELECT p_issuer_id, p_serial, o.member_id, 1 WHERE p_max_uses_per_member > 0
                ON CONFLICT (issuer_id, serial, member_id) DO UPDATE SET used = uses.used + 1
                    WHERE uses.used < p_max_uses_per_member;
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'the coupon is used up by this member' USING ERRCODE = '\(exhaustedPerMemberState)';
                END IF;
            END IF;
        END
        $$
        """

    /// Version 7: one definition of a limit on both stores. A coupon's `max_uses_total` and
    /// `max_uses_per_member` count every redemption of its serial, whatever terms each was
    /// made under, as the SQLite store always counted (version 2 counted only redemptions
    /// made under a limit, in the `coupon_uses` and `coupon_member_uses` counters, so a
    /// serial first redeemed without a limit and then under one started from zero).
    /// `settle_order` now locks the coupon's `coupon_uses` row FOR UPDATE under any limit
    /// and counts `redemptions` (indexed by issuer and serial) after the lock, so limited
    /// settlements of one serial take turns and each sees every redemption committed
    /// before it; unlimited settlements take the row FOR SHARE, as before, and do not
    /// queue. The counters' `used` columns are no longer written.
    static let unifiedLimits: [String] = [settleOrder(creating: "CREATE OR REPLACE FUNCTION", limits: unifiedLimitSteps)]

    /// Version 7's limits: every redemption of the serial counted under the row's lock.
    private static let unifiedLimitSteps = """
            -- 3. The coupon's row, locked last: FOR UPDATE under any limit (limited settlements
            -- of a serial take turns, each counting what committed before it), else FOR SHARE
            -- (unlimited ones do not queue, but a limited one waits for them). Created on first use.
            INSERT INTO coupon_uses (issuer_id, serial) VALUES (p_issuer_id, p_serial) ON CONFLICT DO NOTHING;
            IF p_max_uses_total IS NOT NULL OR p_max_uses_per_member IS NOT NULL THEN
                PERFORM 1 FROM coupon_uses WHERE issuer_id = p_issuer_id AND serial = p_serial FOR UPDATE;
                -- Every redemption of the serial counts, whatever terms it was made under (this
                -- one included: it was inserted above), as on SQLite.
                IF p_max_uses_total IS NOT NULL THEN
                    within_total := (SELECT count(*) FROM redemptions
                        WHERE issuer_id = p_issuer_id AND serial = p_serial) <= p_max_uses_total;
                END IF;
            ELSE
                PERFORM 1 FROM coupon_uses WHERE issuer_id = p_issuer_id AND serial = p_serial FOR SHARE;
            END IF;
            \(revokedThenTotal)
            -- 5. The member's redemptions of the serial, under the row lock taken above.
            IF p_max_uses_per_member IS NOT NULL AND (SELECT count(*) FROM redemptions
                    WHERE issuer_id = p_issuer_id AND serial = p_serial AND member_id = o.member_id) > p_max_uses_per_member
            THEN
                RAISE EXCEPTION 'the coupon is used up by this member' USING ERRCODE = '\(exhaustedPerMemberState)';
            END IF;
        END
        $$
        """

    /// The SQLSTATEs `settle_order` refuses with, in class `UC`, which PostgreSQL does not
    /// use (classes starting I-Z are left to implementations): a revoked serial, a coupon
    /// used up in total, and used up by the member.
    static let revokedState = "UCREV"
    static let exhaustedTotalState = "UCTOT"
    static let exhaustedPerMemberState = "UCMEM"
}
