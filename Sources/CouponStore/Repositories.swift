public import CouponKit
public import Foundation
public import RobustMark

// Storage behind protocols: the HTTP controllers are generic over these, so the SQLite
// implementation (`SQLiteStore`) and the PostgreSQL one (`CouponPostgres.PostgresStore`) share
// them, with the same ``StoreError``s in the same situations. Every method
// is one database transaction. Redemption limits are enforced inside ``OrderRepository/settle(_:)``'s
// transaction, never in process memory, so they hold across server instances.

/// Reveal keys (by epoch) and the issuer keys the server trusts.
public protocol KeyRepository: Sendable {
    /// Every reveal key and every merchant's issuer public key.
    func keyRing() async throws -> KeyRing
    /// Creates epoch 1 when no reveal key exists; returns the newest key.
    @discardableResult func ensureRevealKey() async throws -> RevealKey
    /// Adds epoch max+1 with a fresh random key. Old epochs are kept (they still reveal).
    @discardableResult func rotateRevealKey() async throws -> RevealKey
}

/// What can be withdrawn: reveal-key epochs, coupon serials, merchant tokens.
public protocol RevocationRepository: Sendable {
    /// Marks an epoch retired (coupons sealed under it stop being accepted; it still
    /// reveals). Throws ``StoreError/epochNotFound(_:)`` or, for the newest epoch,
    /// ``StoreError/newestEpoch(_:)``. Retiring a retired epoch changes nothing.
    func retireRevealKey(epoch: UInt32, at date: Date) async throws -> RetiredKey
    /// Revokes a serial under the merchant's issuer key, uploaded or not (a coupon minted
    /// and handed out offline is revoked before anyone orders with it); returns when it
    /// was revoked (the first time, if it already was), nil when there is no such merchant.
    /// Every settlement checks the revocations in its own transaction.
    func revokeCoupon(serial: String, merchantId: String, at date: Date) async throws -> String?
    /// Revokes every token of the merchant and stores the new one's hash, in one transaction.
    func rotateMerchantToken(merchantId: String, tokenHash: String, at date: Date) async throws
}

public struct RetiredKey: Sendable, Equatable {
    public var epoch: UInt32
    public var retiredAt: String
    /// It was retired before this call.
    public var already: Bool

    public init(epoch: UInt32, retiredAt: String, already: Bool) {
        (self.epoch, self.retiredAt, self.already) = (epoch, retiredAt, already)
    }
}

/// Bearer tokens, stored only as SHA-256 hex (see ``AccessToken``).
public protocol TokenRepository: Sendable {
    /// The principal of an unrevoked token with this hash.
    func principal(tokenHash: String) async throws -> Principal?
    func revokeToken(hash: String) async throws
}

public struct NewMember: Sendable {
    public var kind: Member.Kind
    public var name: String
    public var email: String
    public var company: Member.Company?

    public init(kind: Member.Kind, name: String, email: String, company: Member.Company?) {
        self.kind = kind
        self.name = name
        self.email = email
        self.company = company
    }

    /// The member this registration becomes, under a new `mem_` id.
    package func registered() -> Member {
        Member(id: Identifier.make("mem"), kind: kind, name: name, email: email, company: company)
    }

    /// What makes an email taken: the same address in any letter case (`members.email_key`).
    package var emailKey: String { email.lowercased() }
}

public protocol MemberRepository: Sendable {
    /// Throws ``StoreError/memberExists`` when the email (case-insensitive) is taken.
    func createMember(_ member: NewMember, tokenHash: String, at date: Date) async throws -> Member
    func member(id: String) async throws -> Member?
    func recordRejection(_ rejection: Rejection, memberId: String) async throws
    /// Oldest first.
    func rejections(memberId: String) async throws -> [Rejection]
    /// A page of the member's orders and rejections after `cursor`, in one read.
    func history(memberId: String, after cursor: HistoryCursor, limit: Int) async throws -> HistoryPage
}

extension MerchantRepository {
    /// A merchant with a fresh random first robust key.
    public func createMerchant(name: String, issuer: IssuerPublicKey, tokenHash: String, at date: Date) async throws
        -> Merchant
    {
        try await createMerchant(name: name, issuer: issuer, tokenHash: tokenHash, robustKey: RobustKey(), at: date)
    }
}

public protocol MerchantRepository: Sendable {
    /// Throws ``StoreError/merchantExists(issuerId:)`` when the key is registered. The
    /// merchant gets `robustKey` as its first robust key (``MerchantRobustKey``, generation
    /// 1) in the same transaction.
    func createMerchant(
        name: String, issuer: IssuerPublicKey, tokenHash: String, robustKey: RobustKey, at date: Date
    ) async throws -> Merchant
    func merchant(id: String) async throws -> Merchant?
    func merchant(issuerId: String) async throws -> Merchant?
}

public struct NewProduct: Sendable {
    /// Nil: a fresh `prod_...` id. Set it to know the id before the product exists
    /// (seed-demo mints coupons for products before writing anything).
    public var id: String?
    public var merchantId: String
    public var sku: String
    public var name: String
    public var description: String
    public var price: Money

    public init(id: String? = nil, merchantId: String, sku: String, name: String, description: String, price: Money) {
        (self.id, self.merchantId, self.sku) = (id, merchantId, sku)
        (self.name, self.description, self.price) = (name, description, price)
    }
}

public protocol CatalogRepository: Sendable {
    /// In creation order.
    func products() async throws -> [Product]
    func product(id: String) async throws -> Product?
    /// Price, merchant and the merchant's issuer id of a product, in one read.
    func pricing(productId: String) async throws -> ProductPricing?
    func createProduct(_ product: NewProduct, at date: Date) async throws -> Product
    /// Links a verified coupon to its product. Throws ``StoreError/productNotFound(_:)``.
    func addCoupon(_ coupon: StoredCoupon, at date: Date) async throws
    /// The product's coupons that the catalog may hand out (listed, not revoked), newest
    /// first, at most `limit`.
    func listedCoupons(productId: String, limit: Int) async throws -> [StoredCoupon]
}

public protocol OrderRepository: Sendable {
    func idempotencyRecord(memberId: String, key: String) async throws -> IdempotencyRecord?
    /// In one transaction: checks the idempotency key again, counts the coupon's
    /// redemptions against its limits (throwing ``StoreError/couponExhausted(serial:perMember:)``),
    /// then writes the redemption, order, payment, balanced ledger entries and the
    /// idempotency record.
    func settle(_ settlement: Settlement) async throws -> SettlementOutcome
    /// Oldest first.
    func orders(memberId: String) async throws -> [Order]
    /// Orders of the merchant's products, oldest first.
    func orders(merchantId: String) async throws -> [Order]
    /// The whole ledger, oldest first (audits and tests).
    func ledgerEntries() async throws -> [LedgerEntry]
}

/// Whether the database answers, for `/healthz`.
public protocol HealthRepository: Sendable {
    /// What the store is (`sqlite` or `postgresql`), named by `/healthz`.
    var databaseKind: String { get }
    /// One trivial statement (`SELECT 1`) through the store's normal way to the database
    /// (a pooled reader, a pooled connection): throws when the database does not answer.
    /// It does not bound its own time; the caller does.
    func ping() async throws
    /// Pooled database connections leased at this moment, for stores with a pool
    /// (PostgreSQL); nil for others. Zero on an idle server: anything else is a leak.
    var leasedConnections: Int? { get }
}

extension HealthRepository {
    public var leasedConnections: Int? { nil }
}

/// Everything the server stores.
public typealias CouponRepository = KeyRepository & TokenRepository & MemberRepository & MerchantRepository
    & CatalogRepository & OrderRepository & RevocationRepository & HealthRepository & RateLimitRepository
    & RobustKeyRepository & SessionRepository & MerchantDashboardRepository & PersonalCopyRepository
