public import Foundation

/// The server's own signing keys (``StoredServerKey``): what signs personal copies'
/// bindings. Both stores implement it (as part of ``PersonalCopyRepository``); every
/// method is one transaction.
public protocol ServerKeyRepository: Sendable {
    /// Every server key, the current one (the newest unretired) first, retired ones
    /// after, newest first. Makes the first key when there is none: two instances starting
    /// together on one database end up with one key, the same for both.
    func ensureServerKeys(at date: Date) async throws -> [StoredServerKey]
    /// Retires the current key and makes a new current one; returns it. Bindings signed
    /// by retired keys still verify (their public keys stay published).
    func rotateServerKey(at date: Date) async throws -> StoredServerKey
}

/// The personal copies handed to members (`CouponTerms.personal`), and the
/// server keys that sign their bindings. Both stores implement it; every method is one
/// transaction, and what two instances on one database do at the same moment ends the
/// same as if one had gone first.
public protocol PersonalCopyRepository: ServerKeyRepository {
    /// The copy of coupon `couponId` issued to `memberId`, if there is one.
    func issuedCopy(couponId: String, memberId: String) async throws -> IssuedCopy?
    /// Records `copy` unless a copy of the same coupon was already issued to the same
    /// member, and returns the one recorded: `copy`, or the earlier one (a race between
    /// two requests, or two instances, hands out one copy).
    func recordCopy(_ copy: IssuedCopy) async throws -> IssuedCopy
    /// The copy whose robust identifier is `copyId` (16 lowercase hex digits) recorded
    /// under robust key `generation` of merchant `merchantId`: what a degraded copy names.
    func issuedCopy(copyId: String, merchantId: String, generation: Int) async throws -> IssuedCopy?
    /// For each of the merchant's coupons with at least one copy: copies issued, and
    /// copies redeemed (members who settled an order with the coupon, which for a
    /// personal coupon only its copy's owner can).
    func copyCounts(merchantId: String) async throws -> [String: CopyCounts]
}

/// How many copies of a personal coupon were issued, and redeemed.
public struct CopyCounts: Sendable, Equatable {
    public var issued: Int
    public var redeemed: Int

    public init(issued: Int, redeemed: Int) {
        (self.issued, self.redeemed) = (issued, redeemed)
    }
}
