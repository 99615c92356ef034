import CouponStore
import Foundation
import PostgresNIO

/// The statements every order runs, as named prepared statements: the caller's token,
/// the idempotency lookup and the settlement. postgres-nio sends any other query as an
/// unnamed statement, which PostgreSQL parses, analyses and plans again each time; these
/// three are prepared once per pooled connection (postgres-nio remembers which
/// connections have them) and then only bound and executed, and their row descriptions
/// are not sent again. Their rows are handed back as they are, for `PostgresRowReader`.
///
/// Each statement's parameter types are fixed here rather than inferred from its first
/// bindings, where a NULL (no coupon) has no type.
enum OrderPathStatements {
    /// ``PostgresStore/principal(tokenHash:)``: whom an unrevoked token names.
    struct Principal: PostgresPreparedStatement {
        static let sql = "SELECT member_id, merchant_id FROM tokens WHERE hash = $1 AND revoked_at IS NULL"
        static let bindingDataTypes: [PostgresDataType] = [.text]
        let tokenHash: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(tokenHash)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }

    /// ``PostgresStore/idempotencyRecord(memberId:key:)``.
    struct IdempotencyRecord: PostgresPreparedStatement {
        static let sql = "SELECT fingerprint, status, body FROM idempotency_keys WHERE member_id = $1 AND key = $2"
        static let bindingDataTypes: [PostgresDataType] = [.text, .text]
        let memberId: String
        let key: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            bindings.append(memberId)
            bindings.append(key)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }

    /// ``PostgresStore/settle(_:)``: `settle_order` (`PostgresSchema/version2`), whose
    /// row, when there is one, is the taken key's record.
    struct Settle: PostgresPreparedStatement {
        static let sql = """
            SELECT replay_fingerprint AS fingerprint, replay_status AS status, replay_body AS body
            FROM settle_order($1::jsonb, $2, $3, $4, $5, $6, $7, $8, $9)
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .text, .int4, .bytea, .text, .text, .int8, .int8]
        let settlement: Settlement

        func makeBindings() throws -> PostgresBindings {
            let (response, redemption) = (settlement.response, settlement.redemption)
            var bindings = PostgresBindings(capacity: 9)
            bindings.append(try PostgresOrderRow(settlement.order, redemption: redemption).json())
            bindings.append(settlement.idempotencyKey)
            bindings.append(response.fingerprint)
            bindings.append(Int32(clamping: response.status))
            try bindings.append(Data(response.body))
            bindings.append(redemption?.issuerId)
            bindings.append(redemption?.serial)
            bindings.append(redemption?.maxUsesTotal.map(Int64.init))
            bindings.append(redemption?.maxUsesPerMember.map(Int64.init))
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }
}

extension PostgresStore {
    /// All rows of a prepared statement on a pooled connection (one statement is its own
    /// transaction).
    func rows<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [PostgresRow]
    where Statement.Row == PostgresRow {
        let logger = self.logger
        return try await withConnection { connection in
            var rows: [PostgresRow] = []
            for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
            return rows
        }
    }
}
