public import CouponKit
public import CouponStore
public import RobustMark
public import Foundation
import Logging
import PostgresNIO

extension PostgresStore: MemberRepository, MerchantRepository {
    /// The email's uniqueness is the UNIQUE `email_key` (lower-cased email): the insert
    /// that loses a race finds the key taken (`ON CONFLICT DO NOTHING` returns no row).
    public func createMember(_ new: NewMember, tokenHash: String, at date: Date) async throws -> Member {
        let member = new.registered()
        let now = Timestamp.string(date)
        let emailKey = new.emailKey
        return try await transaction { [logger] connection in
            let inserted = try await connection.rows(
                """
                INSERT INTO members (id, kind, name, email, email_key, company_name, company_registration_number, created_at)
                VALUES (\(member.id), \(member.kind.rawValue), \(member.name), \(member.email), \(emailKey),
                    \(member.company?.name), \(member.company?.registrationNumber), \(now))
                ON CONFLICT (email_key) DO NOTHING RETURNING id
                """, logger: logger)
            guard !inserted.isEmpty else { throw StoreError.memberExists }
            try await Self.insertToken(tokenHash, owner: .member, id: member.id, at: now, connection, logger: logger)
            return member
        }
    }

    public func member(id: String) async throws -> Member? {
        try await rows("SELECT * FROM members WHERE id = \(id)").first.map(Self.member(row:))
    }

    public func recordRejection(_ rejection: Rejection, memberId: String) async throws {
        _ = try await rows(
            """
            INSERT INTO rejections (member_id, at, code, coupon_serial, product_id)
            VALUES (\(memberId), \(rejection.at), \(rejection.code), \(rejection.couponSerial), \(rejection.productId))
            """)
    }

    public func history(memberId: String, after cursor: HistoryCursor, limit: Int) async throws -> HistoryPage {
        try await transaction(snapshot: true) { [logger] connection in
            // One row more than asked tells whether a list goes on.
            let orderRows = try await connection.rows(
                """
                SELECT * FROM orders WHERE member_id = \(memberId) AND seq > \(cursor.orderSeq)
                ORDER BY seq LIMIT \(Int64(limit) + 1)
                """, logger: logger)
            let rejectionRows = try await connection.rows(
                """
                SELECT id, at, code, coupon_serial, product_id FROM rejections
                WHERE member_id = \(memberId) AND id > \(cursor.rejectionId) ORDER BY id LIMIT \(Int64(limit) + 1)
                """, logger: logger)
            let orders = Array(orderRows.prefix(limit))
            let rejections = Array(rejectionRows.prefix(limit))
            var next: HistoryCursor?
            if orderRows.count > limit || rejectionRows.count > limit {
                next = HistoryCursor(
                    orderSeq: try orders.last.map { try PostgresRowReader($0, table: "orders").integer("seq") }
                        ?? cursor.orderSeq,
                    rejectionId: try rejections.last.map { try PostgresRowReader($0, table: "rejections").integer("id") }
                        ?? cursor.rejectionId)
            }
            return HistoryPage(
                orders: try orders.map(Self.order(row:)), rejections: try rejections.map(Self.rejection(row:)), next: next)
        }
    }

    public func rejections(memberId: String) async throws -> [Rejection] {
        try await rows(
            "SELECT at, code, coupon_serial, product_id FROM rejections WHERE member_id = \(memberId) ORDER BY id"
        ).map(Self.rejection(row:))
    }

    static func rejection(row: PostgresRow) throws(StoreError) -> Rejection {
        try StoredRecord.rejection(PostgresRowReader(row, table: "rejections"))
    }

    /// The issuer key's uniqueness is the UNIQUE `issuer_id`, as for member emails.
    public func createMerchant(
        name: String, issuer: IssuerPublicKey, tokenHash: String, robustKey: RobustKey, at date: Date
    ) async throws -> Merchant {
        let merchant = Merchant(id: Identifier.make("mch"), name: name, issuerId: issuer.id, publicKey: issuer.rawBytes)
        let now = Timestamp.string(date)
        return try await transaction { [logger] connection in
            let inserted = try await connection.rows(
                """
                INSERT INTO merchants (id, name, issuer_id, public_key, created_at)
                VALUES (\(merchant.id), \(merchant.name), \(merchant.issuerId), \(Data(merchant.publicKey)), \(now))
                ON CONFLICT (issuer_id) DO NOTHING RETURNING id
                """, logger: logger)
            guard !inserted.isEmpty else { throw StoreError.merchantExists(issuerId: merchant.issuerId) }
            try await Self.insertToken(tokenHash, owner: .merchant, id: merchant.id, at: now, connection, logger: logger)
            try await Self.insertRobustKey(
                merchantId: merchant.id, generation: 1, key: robustKey, at: now, connection, logger: logger)
            return merchant
        }
    }

    public func merchant(id: String) async throws -> Merchant? {
        try await rows("SELECT * FROM merchants WHERE id = \(id)").first.map(Self.merchant(row:))
    }

    public func merchant(issuerId: String) async throws -> Merchant? {
        try await rows("SELECT * FROM merchants WHERE issuer_id = \(issuerId)").first.map(Self.merchant(row:))
    }

    private static func merchant(row: PostgresRow) throws(StoreError) -> Merchant {
        try StoredRecord.merchant(PostgresRowReader(row, table: "merchants"))
    }

    private static func member(row: PostgresRow) throws(StoreError) -> Member {
        try StoredRecord.member(PostgresRowReader(row, table: "members"))
    }

    /// Who a bearer token belongs to: the column of `tokens` that names them.
    enum TokenOwner: String {
        case member = "member_id"
        case merchant = "merchant_id"
    }

    /// Stores a token's hash (never the token) for its owner.
    static func insertToken(
        _ hash: String, owner: TokenOwner, id: String, at now: String, _ connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.run(
            "INSERT INTO tokens (hash, \(unescaped: owner.rawValue), created_at) VALUES (\(hash), \(id), \(now))",
            logger: logger)
    }
}
