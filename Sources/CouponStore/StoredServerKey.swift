public import CouponKit

/// One of the server's signing keys (`server_keys`): the private key, kept only in the
/// store, signs personal copies' bindings while current; retired, its public key still
/// verifies what it signed.
public struct StoredServerKey: Sendable {
    public var key: ServerKey
    /// ISO 8601, UTC (``Timestamp``).
    public var createdAt: String
    /// When it stopped signing; nil for the current key.
    public var retiredAt: String?

    public init(key: ServerKey, createdAt: String, retiredAt: String?) {
        (self.key, self.createdAt, self.retiredAt) = (key, createdAt, retiredAt)
    }

    public var keyId: String { key.id }
    /// What `GET /v1/keys` publishes.
    public var publicKey: ServerPublicKey {
        var published = key.publicKey
        published.retired = retiredAt != nil
        return published
    }
}
