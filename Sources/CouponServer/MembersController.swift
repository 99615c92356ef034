import CouponKit
import CouponStore
import Foundation
import Hummingbird

/// Joining, the key document, and a member's own record and history.
struct MembersController<Repository: MemberRepository & KeyRepository & TokenRepository & OrderRepository> {
    let repository: Repository
    let auth: Authenticator<Repository>
    let clock: @Sendable () -> Date
    let maxBodyBytes: Int

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .post("members", use: join)
            .get("keys", use: keys)
            .get("members/me", use: me)
            .get("members/me/history", use: history)
    }

    @Sendable func join(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try StrictJSON.decode(JoinRequest.self, from: try await request.collectBody(limit: maxBodyBytes))
        let member = try Self.validate(body)
        let token = AccessToken.generate(.member)
        let created = try await repository.createMember(member, tokenHash: token.hash, at: clock())
        let keys = KeysDocument(try await repository.keyRing())
        return try Response.json(JoinResponse(memberId: created.id, token: token.value, keys: keys), status: .created)
    }

    @Sendable func keys(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await auth.anyone(request)
        return try Response.json(KeysDocument(try await repository.keyRing()))
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try await auth.member(request)
        guard let member = try await repository.member(id: id) else { throw AuthError.notAMember }
        return try Response.json(MemberBody(member: member))
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try await auth.member(request)
        let orders = try await repository.orders(memberId: id)
        let rejections = try await repository.rejections(memberId: id)
        return try Response.json(
            HistoryBody(orders: orders.map(OrderBody.init), rejections: rejections.map(HistoryBody.RejectionBody.init)))
    }

    /// The membership rules: kind individual or corporate; a name; an email with an `@`
    /// and a dot after it; corporate members need company name and registration number;
    /// individuals may not send a company (an explicit null is accepted).
    static func validate(_ body: JoinRequest) throws(MembershipError) -> NewMember {
        guard let kindText = body.kind, let kind = Member.Kind(rawValue: kindText) else {
            throw .invalid("kind must be \"individual\" or \"corporate\"")
        }
        let name = (body.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200 else { throw .invalid("name is required (at most 200 characters)") }
        let email = (body.email ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard isPlausibleEmail(email) else { throw .invalid("email must look like name@example.org") }
        switch kind {
        case .individual:
            guard body.company == nil else { throw .invalid("an individual member has no company") }
            return NewMember(kind: kind, name: name, email: email, company: nil)
        case .corporate:
            let companyName = (body.company?.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let registration = (body.company?.registrationNumber ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !companyName.isEmpty, !registration.isEmpty, companyName.count <= 200, registration.count <= 100 else {
                throw .invalid("a corporate member needs company.name and company.registration_number")
            }
            return NewMember(
                kind: kind, name: name, email: email,
                company: Member.Company(name: companyName, registrationNumber: registration))
        }
    }

    static func isPlausibleEmail(_ email: String) -> Bool {
        guard email.count <= 254, !email.contains(where: \.isWhitespace) else { return false }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        let domain = parts[1]
        guard let dot = domain.lastIndex(of: "."), dot != domain.startIndex, domain.index(after: dot) != domain.endIndex
        else { return false }
        return true
    }
}
