public import CouponStore
public import CouponKit
public import Foundation
import GRDB
public import RobustMark

extension SQLiteStore: MemberRepository, MerchantRepository {
    public func createMember(_ new: NewMember, tokenHash: String, at date: Date) async throws -> Member {
        let member = new.registered()
        let now = Timestamp.string(date)
        let emailKey = new.emailKey
        return try await writer.write { db in
            if try Bool.fetchOne(cached: db, sql: "SELECT 1 FROM members WHERE email_key = ?", arguments: [emailKey]) == true {
                throw StoreError.memberExists
            }
            try db.executeCached(
                sql: """
                    INSERT INTO members (id, kind, name, email, email_key, company_name, company_registration_number, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    member.id, member.kind.rawValue, member.name, member.email, emailKey, member.company?.name,
                    member.company?.registrationNumber, now,
                ])
            try Self.insertToken(tokenHash, owner: .member, id: member.id, at: now, in: db)
            return member
        }
    }

    public func member(id: String) async throws -> Member? {
        try await writer.read { db in
            try Row.fetchOne(cached: db, sql: "SELECT * FROM members WHERE id = ?", arguments: [id]).map(Self.member(row:))
        }
    }

    public func recordRejection(_ rejection: Rejection, memberId: String) async throws {
        try await writer.write { db in
            try db.executeCached(
                sql: "INSERT INTO rejections (member_id, at, code, coupon_serial, product_id) VALUES (?, ?, ?, ?, ?)",
                arguments: [memberId, rejection.at, rejection.code, rejection.couponSerial, rejection.productId])
        }
    }

    public func history(memberId: String, after cursor: HistoryCursor, limit: Int) async throws -> HistoryPage {
        try await writer.read { db in
            // One row more than asked tells whether a list goes on.
            let orderRows = try Row.fetchAll(
                cached: db, sql: "SELECT * FROM orders WHERE member_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                arguments: [memberId, cursor.orderSeq, limit + 1])
            let rejectionRows = try Row.fetchAll(
                cached: db,
                sql: """
                    SELECT id, at, code, coupon_serial, product_id FROM rejections
                    WHERE member_id = ? AND id > ? ORDER BY id LIMIT ?
                    """,
                arguments: [memberId, cursor.rejectionId, limit + 1])
            let orders = Array(orderRows.prefix(limit))
            let rejections = Array(rejectionRows.prefix(limit))
            var next: HistoryCursor?
            if orderRows.count > limit || rejectionRows.count > limit {
                next = HistoryCursor(
                    orderSeq: try orders.last.map { try RowReader($0, table: "orders").value("seq") } ?? cursor.orderSeq,
                    rejectionId: try rejections.last.map { try RowReader($0, table: "rejections").value("id") }
                        ?? cursor.rejectionId)
            }
            return HistoryPage(
                orders: try orders.map(Self.order(row:)), rejections: try rejections.map(Self.rejection(row:)), next: next)
        }
    }

    public func rejections(memberId: String) async throws -> [Rejection] {
        try await writer.read { db in
            try Row.fetchAll(
                cached: db, sql: "SELECT at, code, coupon_serial, product_id FROM rejections WHERE member_id = ? ORDER BY id",
                arguments: [memberId]
            ).map(Self.rejection(row:))
        }
    }

    static func rejection(row: Row) throws(StoreError) -> Rejection {
        try StoredRecord.rejection(RowReader(row, table: "rejections"))
    }

    public func createMerchant(
        name: String, issuer: IssuerPublicKey, tokenHash: String, robustKey: RobustKey, at date: Date
    ) async throws -> Merchant {
        let merchant = Merchant(
            id: Identifier.make("mch"), name: name, issuerId: issuer.id, publicKey: issuer.rawBytes)
        let now = Timestamp.string(date)
        return try await writer.write { db in
            if try Bool.fetchOne(cached: db, sql: "SELECT 1 FROM merchants WHERE issuer_id = ?", arguments: [merchant.issuerId])
                == true
            {
                throw StoreError.merchantExists(issuerId: merchant.issuerId)
            }
            try db.executeCached(
                sql: "INSERT INTO merchants (id, name, issuer_id, public_key, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [merchant.id, merchant.name, merchant.issuerId, Data(merchant.publicKey), now])
            try Self.insertToken(tokenHash, owner: .merchant, id: merchant.id, at: now, in: db)
            try Self.insertFirstRobustKey(db, merchantId: merchant.id, key: robustKey, at: now)
            return merchant
        }
    }

    public func merchant(id: String) async throws -> Merchant? {
        try await writer.read { db in
            try Row.fetchOne(cached: db, sql: "SELECT * FROM merchants WHERE id = ?", arguments: [id]).map(Self.merchant(row:))
        }
    }

    public func merchant(issuerId: String) async throws -> Merchant? {
        try await writer.read { db in
            try Row.fetchOne(cached: db, sql: "SELECT * FROM merchants WHERE issuer_id = ?", arguments: [issuerId])
                .map(Self.merchant(row:))
        }
    }

    private static func merchant(row: Row) throws(StoreError) -> Merchant {
        try StoredRecord.merchant(RowReader(row, table: "merchants"))
    }

    private static func member(row: Row) throws(StoreError) -> Member {
        try StoredRecord.member(RowReader(row, table: "members"))
    }

    /// Who a bearer token belongs to: the column of `tokens` that names them.
    enum TokenOwner: String {
        case member = "member_id"
        case merchant = "merchant_id"
    }

    /// Stores a token's hash (never the token) for its owner.
    static func insertToken(_ hash: String, owner: TokenOwner, id: String, at now: String, in db: Database) throws {
        try db.executeCached(
            sql: "INSERT INTO tokens (hash, \(owner.rawValue), created_at) VALUES (?, ?, ?)", arguments: [hash, id, now])
    }
}
