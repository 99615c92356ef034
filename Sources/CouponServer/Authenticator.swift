import CouponStore
import HTTPTypes
import Hummingbird

/// Resolves `Authorization: Bearer <token>` to a principal by the token's SHA-256 (the
/// only form stored). A missing or malformed header is `unauthenticated`; a token that
/// does not fit the route is `not_a_member` (member routes) or `forbidden` (others).
struct Authenticator<Repository: TokenRepository>: Sendable {
    let repository: Repository

    /// Tokens are ~55 characters; anything far longer is not ours and is not hashed.
    static var maxTokenLength: Int { 512 }

    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer", parts[1].utf8.count <= maxTokenLength else {
            return nil
        }
        return String(parts[1])
    }

    func principal(_ request: Request) async throws -> Principal? {
        guard let token = Self.bearerToken(request) else { throw AuthError.unauthenticated }
        return try await repository.principal(tokenHash: AccessToken.hash(token))
    }

    /// The member id, for member-only routes.
    func member(_ request: Request) async throws -> String {
        guard case .member(let id) = try await principal(request) else { throw AuthError.notAMember }
        return id
    }

    /// The merchant id, for merchant-only routes.
    func merchant(_ request: Request) async throws -> String {
        switch try await principal(request) {
        case .merchant(let id): return id
        case .member: throw AuthError.forbidden("this route is for merchants; the token is a member's")
        case nil: throw AuthError.forbidden("the token is not valid")
        }
    }

    /// Any member or merchant.
    func anyone(_ request: Request) async throws -> Principal {
        guard let principal = try await principal(request) else { throw AuthError.forbidden("the token is not valid") }
        return principal
    }
}
