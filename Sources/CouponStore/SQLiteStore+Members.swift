public import CouponKit
public import Foundation
import GRDB

extension SQLiteStore: MemberRepository, MerchantRepository {
    public func createMember(_ new: NewMember, tokenHash: String, at date: Date) async throws -> Member {
        let member = Member(
            id: Identifier.make("mem"), kind: new.kind, name: new.name, email: new.email, company: new.company)
        let now = Timestamp.string(date)
        return try await writer.write { db in
            let emailKey = member.email.lowercased()
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM members WHERE email_key = ?", arguments: [emailKey]) == true {
                throw StoreError.memberExists
            }
            try db.execute(
                sql: """
                    INSERT INTO members (id, kind, name, email, email_key, company_name, company_registration_number, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    member.id, member.kind.rawValue, member.name, member.email, emailKey, member.company?.name,
                    member.company?.registrationNumber, now,
                ])
            try db.execute(
                sql: "INSERT INTO tokens (hash, member_id, created_at) VALUES (?, ?, ?)",
                arguments: [tokenHash, member.id, now])
            return member
        }
    }

    public func member(id: String) async throws -> Member? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM members WHERE id = ?", arguments: [id]).map { row in
                let companyName: String? = row["company_name"]
                return Member(
                    id: row["id"], kind: Member.Kind(rawValue: row["kind"]) ?? .individual, name: row["name"],
                    email: row["email"],
                    company: companyName.map {
                        Member.Company(name: $0, registrationNumber: row["company_registration_number"] ?? "")
                    })
            }
        }
    }

    public func recordRejection(_ rejection: Rejection, memberId: String) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "INSERT INTO rejections (member_id, at, code, coupon_serial, product_id) VALUES (?, ?, ?, ?, ?)",
                arguments: [memberId, rejection.at, rejection.code, rejection.couponSerial, rejection.productId])
        }
    }

    public func rejections(memberId: String) async throws -> [Rejection] {
        try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT at, code, coupon_serial, product_id FROM rejections WHERE member_id = ? ORDER BY id",
                arguments: [memberId]
            ).map { row in
                Rejection(at: row["at"], code: row["code"], couponSerial: row["coupon_serial"], productId: row["product_id"])
            }
        }
    }

    public func createMerchant(name: String, issuer: IssuerPublicKey, tokenHash: String, at date: Date) async throws
        -> Merchant
    {
        let merchant = Merchant(id: Identifier.make("mch"), name: name, issuerId: issuer.id, publicKey: issuer.base64)
        let now = Timestamp.string(date)
        return try await writer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM merchants WHERE issuer_id = ?", arguments: [merchant.issuerId])
                == true
            {
                throw StoreError.merchantExists(issuerId: merchant.issuerId)
            }
            try db.execute(
                sql: "INSERT INTO merchants (id, name, issuer_id, public_key, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [merchant.id, merchant.name, merchant.issuerId, merchant.publicKey, now])
            try db.execute(
                sql: "INSERT INTO tokens (hash, merchant_id, created_at) VALUES (?, ?, ?)",
                arguments: [tokenHash, merchant.id, now])
            return merchant
        }
    }

    public func merchant(id: String) async throws -> Merchant? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM merchants WHERE id = ?", arguments: [id]).map(Self.merchant(row:))
        }
    }

    public func merchant(issuerId: String) async throws -> Merchant? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM merchants WHERE issuer_id = ?", arguments: [issuerId])
                .map(Self.merchant(row:))
        }
    }

    private static func merchant(row: Row) -> Merchant {
        Merchant(id: row["id"], name: row["name"], issuerId: row["issuer_id"], publicKey: row["public_key"])
    }
}
