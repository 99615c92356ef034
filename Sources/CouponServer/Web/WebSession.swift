import CouponStore
import Foundation

/// A signed-in browser: who it is and the token its forms carry against cross-site
/// requests. Stored as JSON in the store (`StoreSessionDriver`), under the SHA-256 of its
/// cookie, so every server instance on one database shares it; never holds a bearer
/// token or a key.
///
/// Shoppers and shops have separate sessions: separate cookies (`couponmark_member` on
/// `/`, `couponmark_shop` on `/merchant`) and separate key prefixes in the store, so the
/// value of one cookie means nothing as the other.
public struct WebSession: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case member, merchant
    }

    public var kind: Kind
    /// The member's or merchant's id.
    public var principalId: String
    /// The CSRF token every form of this session carries (``CSRFToken``).
    public var csrf: String
    public var createdAt: Date

    public init(kind: Kind, principalId: String, csrf: String = CSRFToken.generate(), createdAt: Date) {
        (self.kind, self.principalId, self.csrf, self.createdAt) = (kind, principalId, csrf, createdAt)
    }

    /// The principal the API handlers see (`Caller`).
    var principal: Principal {
        switch kind {
        case .member: .member(id: principalId)
        case .merchant: .merchant(id: principalId)
        }
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case principalId = "principal_id"
        case csrf
        case createdAt = "created_at"
    }
}
