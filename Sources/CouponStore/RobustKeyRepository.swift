public import Foundation

/// Per-merchant robust-layer keys and the lookup of a copy's coupon under one of them
/// (``MerchantRobustKey``). Both stores implement it; every method is one transaction.
public protocol RobustKeyRepository: Sendable {
    /// Every robust key of the merchant, retired ones included, newest (the current one)
    /// first; empty for an unknown merchant.
    func robustKeys(merchantId: String) async throws -> [MerchantRobustKey]
    /// Readable keys of all merchants, by merchant id and then generation, at most `limit`
    /// (for a bounded identify without a product: the caller asks for one more than it will
    /// try, to know whether there are more). Read in the order of the primary key's index,
    /// so the database stops after `limit` rows however many merchants there are;
    /// ``MerchantRobustKey/current`` is exact when fewer than `limit` rows come back.
    func readableRobustKeys(limit: Int) async throws -> [MerchantRobustKey]
    /// Makes a new current key (generation max + 1). Older keys stay readable. Throws
    /// ``StoreError/merchantNotFound(_:)``, or ``StoreError/tooManyRobustKeys(merchantId:limit:)``
    /// when the merchant would have more than ``MerchantRobustKeys/readableLimit`` readable keys.
    func rotateRobustKey(merchantId: String, at date: Date) async throws -> MerchantRobustKey
    /// Retires every readable key of the merchant but the current one; returns those it
    /// retired now (empty when there were none). Throws ``StoreError/merchantNotFound(_:)``.
    func retireRobustKeys(merchantId: String, at date: Date) async throws -> [MerchantRobustKey]
    /// The coupon of one of the merchant's products recorded under robust key `generation`
    /// with identifier `robustId` (16 lowercase hex digits), revoked or not.
    func coupon(robustId: String, merchantId: String, generation: Int) async throws -> StoredCoupon?
    /// The coupon uploaded with this (issuer, serial), revoked or not.
    func coupon(issuerId: String, serial: String) async throws -> StoredCoupon?
}

/// The bound on a merchant's readable robust keys.
public enum MerchantRobustKeys {
    /// At most this many readable keys per merchant: an order with a copy runs one full
    /// detection search per readable key of the product's merchant, so rotating without
    /// retiring is refused beyond it.
    public static let readableLimit = 4
}
