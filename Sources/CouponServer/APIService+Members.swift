import CouponAPI
import CouponKit
import CouponStore
import Foundation
import RobustMark

/// Joining, the key document, and a member's own record and history.
extension APIService {
    func joinMembership(_ input: Operations.JoinMembership.Input) async throws -> Operations.JoinMembership.Output {
        let body = switch input.body { case .json(let body): body }
        let texts = [body.name, body.email, body.company?.name, body.company?.registrationNumber].compactMap { $0 }
        guard !texts.contains(where: { TextRules.hasControlCharacters($0) }) else {
            throw RequestError.invalidValue(
                "name, email and company fields must not contain control, format or invisible characters")
        }
        let member = try Self.validate(body)
        let token = AccessToken.generate(.member)
        let created = try await repository.createMember(member, tokenHash: token.hash, at: clock())
        let keys = Components.Schemas.Keys(try await publishedRing())
        return .created(.init(body: .json(.init(memberId: created.id, token: token.value, keys: keys))))
    }

    /// Every reveal key and issuer key; a merchant also gets its own robust keys (the
    /// current one as `robust_key`, for minting, and all of them, retired ones included,
    /// as `robust_keys`), never another merchant's. Members never see a robust key.
    func getKeys(_ input: Operations.GetKeys.Input) async throws -> Operations.GetKeys.Output {
        var keys = Components.Schemas.Keys(try await publishedRing())
        if case .merchant(let merchantId) = Caller.current {
            let robustKeys = try await repository.robustKeys(merchantId: merchantId)
            keys.robustKey = robustKeys.first(where: \.current)?.key.base64
            keys.robustKeys = robustKeys.map(Components.Schemas.RobustKey.init)
        }
        return .ok(.init(body: .json(keys)))
    }

    /// What members and merchants are given of the keys: every reveal key, issuer key and
    /// server key (read fresh, not from the verification cache: a key rotated a moment ago
    /// is published at once).
    func publishedRing() async throws -> KeyRing {
        var ring = try await repository.keyRing()
        ring.serverKeys = try await repository.ensureServerKeys(at: clock()).map(\.publicKey)
        return ring
    }

    func getMember(_ input: Operations.GetMember.Input) async throws -> Operations.GetMember.Output {
        guard let member = try await repository.member(id: try Caller.memberId()) else { throw AuthError.notAMember }
        return .ok(.init(body: .json(.init(member))))
    }

    /// Logging out: the token this request came with stops working at once.
    func deleteMemberToken(_ input: Operations.DeleteMemberToken.Input) async throws
        -> Operations.DeleteMemberToken.Output
    {
        _ = try Caller.memberId()
        guard let hash = Caller.tokenHash else { throw AuthError.unauthenticated }
        try await repository.revokeToken(hash: hash)
        return .noContent(.init())
    }

    /// One page of the history (refused attempts are recorded without bound, so it is
    /// never sent whole): `limit` (1...500, default 100) of each list after `cursor`.
    func getHistory(_ input: Operations.GetHistory.Input) async throws -> Operations.GetHistory.Output {
        let id = try Caller.memberId()
        let limit = input.query.limit ?? 100
        guard (1...500).contains(limit) else { throw RequestError.malformed("limit must be 1...500") }
        var cursor = HistoryCursor.start
        if let text = input.query.cursor {
            guard let parsed = HistoryCursor(encoded: text) else {
                throw RequestError.malformed("cursor is not one this server handed out")
            }
            cursor = parsed
        }
        let page = try await repository.history(memberId: id, after: cursor, limit: limit)
        return .ok(
            .init(
                body: .json(
                    .init(
                        nextCursor: .init(page.next?.encoded), orders: page.orders.map(Components.Schemas.Order.init),
                        rejections: page.rejections.map(Components.Schemas.Rejection.init)))))
    }

    /// The membership rules: kind individual or corporate; a name; an email with an `@`
    /// and a dot after it; corporate members need company name and registration number;
    /// individuals may not send a company (an explicit null is accepted).
    static func validate(_ body: Components.Schemas.JoinRequest) throws(MembershipError) -> NewMember {
        guard let kind = Member.Kind(rawValue: body.kind) else {
            throw .invalid("kind must be \"individual\" or \"corporate\"")
        }
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, TextRules.fits(name, maxBytes: 200) else {
            throw .invalid("name is required (at most 200 bytes of UTF-8)")
        }
        let email = body.email.trimmingCharacters(in: .whitespacesAndNewlines)
        guard isPlausibleEmail(email) else { throw .invalid("email must look like name@example.org") }
        switch kind {
        case .individual:
            guard body.company == nil else { throw .invalid("an individual member has no company") }
            return NewMember(kind: kind, name: name, email: email, company: nil)
        case .corporate:
            let companyName = (body.company?.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let registration = (body.company?.registrationNumber ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !companyName.isEmpty, !registration.isEmpty else {
                throw .invalid("a corporate member needs company.name and company.registration_number")
            }
            guard TextRules.fits(companyName, maxBytes: 200), TextRules.fits(registration, maxBytes: 100) else {
                throw .invalid("company.name is at most 200 and company.registration_number 100 bytes of UTF-8")
            }
            return NewMember(
                kind: kind, name: name, email: email,
                company: Member.Company(name: companyName, registrationNumber: registration))
        }
    }

    static func isPlausibleEmail(_ email: String) -> Bool {
        guard TextRules.fits(email, maxBytes: 254), !email.contains(where: \.isWhitespace) else { return false }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        let domain = parts[1]
        guard let dot = domain.lastIndex(of: "."), dot != domain.startIndex, domain.index(after: dot) != domain.endIndex
        else { return false }
        return true
    }
}
