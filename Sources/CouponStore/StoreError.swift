/// Why a store operation was refused. Free of HTTP: the server maps each case to its
/// reason code in one place.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A member with this email (compared case-insensitively) exists.
    case memberExists
    /// A merchant with this issuer key exists.
    case merchantExists(issuerId: String)
    case productNotFound(String)
    case merchantNotFound(String)
    /// The coupon's redemption limit (total, or for this member) is reached.
    case couponExhausted(serial: String, perMember: Bool)

    public var description: String {
        switch self {
        case .memberExists: "a member with this email already exists"
        case .merchantExists(let issuerId): "a merchant with issuer key \(issuerId) already exists"
        case .productNotFound(let id): "no product \(id)"
        case .merchantNotFound(let id): "no merchant \(id)"
        case .couponExhausted(let serial, let perMember):
            perMember
                ? "coupon \(serial) has reached its redemption limit for this member"
                : "coupon \(serial) has reached its total redemption limit"
        }
    }
}
