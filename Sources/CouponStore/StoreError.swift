public import CouponKit

/// Why a store operation was refused, or why a row read back from the database cannot
/// be trusted. Free of HTTP: each case names its API reason code (`ReasonCoded`), so
/// the server's problem mapping needs no table of its own.
public enum StoreError: ReasonCoded, Equatable, Sendable, CustomStringConvertible {
    /// A member with this email (compared case-insensitively) exists.
    case memberExists
    /// A merchant with this issuer key exists.
    case merchantExists(issuerId: String)
    case productNotFound(String)
    case merchantNotFound(String)
    /// The coupon's redemption limit (total, or for this member) is reached.
    case couponExhausted(serial: String, perMember: Bool)
    /// Its merchant revoked this coupon serial.
    case couponRevoked(serial: String)
    /// This issuer already uploaded a coupon with this serial.
    case couponExists(serial: String)
    /// No reveal key of this epoch exists.
    case epochNotFound(UInt32)
    /// The newest epoch seals new coupons and cannot be retired (rotate first).
    case newestEpoch(UInt32)
    /// Rotating would leave the merchant more readable robust keys than the limit.
    case tooManyRobustKeys(merchantId: String, limit: Int)
    /// A row read from the database does not hold a valid value in `column` (NULL where
    /// a value is required, a wrong type, an unknown kind or currency, a damaged key).
    /// Rows are never repaired on the way out; the reader refuses them.
    case corruptRow(table: String, column: String)
    /// No database connection came free within the store's lease deadline: every pooled
    /// connection is working for other requests. Nothing was done; retry after
    /// `retryAfterSeconds` (503 `server_busy` with `Retry-After`).
    case busy(retryAfterSeconds: Int)
    /// An unexpired web session is stored under this key hash
    /// (``SessionRepository/createSession(_:now:)``): the web layer's session storage
    /// made a key that is in use. Session keys are random, so it is a fault,
    /// never a request's doing.
    case sessionExists

    public var reasonCode: ReasonCode {
        switch self {
        case .memberExists: .memberExists
        case .productNotFound: .productNotFound
        case .couponExhausted: .couponExhausted
        case .couponRevoked: .couponRevoked
        case .couponExists: .couponExists
        // Admin commands only.
        case .epochNotFound, .newestEpoch, .tooManyRobustKeys: .invalidRequest
        // Only merchant-authenticated and admin paths reach these.
        case .merchantExists, .merchantNotFound: .forbidden
        case .corruptRow, .sessionExists: .internalError
        case .busy: .serverBusy
        }
    }

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
        case .couponRevoked(let serial): "coupon \(serial) was revoked by its merchant"
        case .couponExists(let serial): "a coupon with serial \(serial) was already uploaded by this issuer"
        case .epochNotFound(let epoch): "there is no reveal-key epoch \(epoch)"
        case .newestEpoch(let epoch):
            "epoch \(epoch) is the newest and seals new coupons; run `coupon-server keys rotate` first"
        case .tooManyRobustKeys(let merchantId, let limit):
            "merchant \(merchantId) already has \(limit) readable robust keys (each one costs every order with a copy a "
                + "detection search); run `coupon-server merchant retire-robust-keys --merchant-id \(merchantId)` first"
        case .corruptRow(let table, let column): "the database holds a damaged row in \(table) (column \(column))"
        case .busy(let seconds): "every database connection is busy; retry after \(seconds) s"
        case .sessionExists: "a web session with this key already exists"
        }
    }
}
