public import CouponKit

/// A registered member: an individual, or a corporation with its company details.
public struct Member: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case individual, corporate
    }

    public struct Company: Sendable, Equatable {
        public var name: String
        public var registrationNumber: String

        public init(name: String, registrationNumber: String) {
            (self.name, self.registrationNumber) = (name, registrationNumber)
        }
    }

    public var id: String
    public var kind: Kind
    public var name: String
    public var email: String
    public var company: Company?

    public init(id: String, kind: Kind, name: String, email: String, company: Company?) {
        (self.id, self.kind, self.name, self.email, self.company) = (id, kind, name, email, company)
    }
}

/// An order-receiving terminal: a merchant and the issuer key that signs its coupons.
public struct Merchant: Sendable, Equatable {
    public var id: String
    public var name: String
    /// `IssuerPublicKey.id` of ``publicKey``.
    public var issuerId: String
    /// The issuer public key: the raw 32 Ed25519 bytes (stored as a BLOB).
    public var publicKey: [UInt8]

    public init(id: String, name: String, issuerId: String, publicKey: [UInt8]) {
        (self.id, self.name, self.issuerId, self.publicKey) = (id, name, issuerId, publicKey)
    }
}

/// A product in the catalog, with the coupons linked to it (oldest first).
public struct Product: Sendable, Equatable {
    public struct CouponLink: Sendable, Equatable {
        public var id: String
        public var title: String

        public init(id: String, title: String) {
            (self.id, self.title) = (id, title)
        }
    }

    public var id: String
    public var merchantId: String
    public var sku: String
    public var name: String
    public var description: String
    public var price: Money
    public var coupons: [CouponLink]

    public init(
        id: String, merchantId: String, sku: String, name: String, description: String, price: Money,
        coupons: [CouponLink] = []
    ) {
        (self.id, self.merchantId, self.sku, self.name) = (id, merchantId, sku, name)
        (self.description, self.price, self.coupons) = (description, price, coupons)
    }

    /// This product with `coupons` as its coupon links.
    package func linking(_ coupons: [CouponLink]) -> Product {
        var product = self
        product.coupons = coupons
        return product
    }
}

/// A verified coupon upload, linked to its product.
public struct StoredCoupon: Sendable, Equatable {
    public var id: String
    public var productId: String
    public var issuerId: String
    public var serial: String
    public var title: String
    public var discount: Discount
    public var png: [UInt8]
    /// Handed out by the catalog (`GET /v1/products/{id}/coupon`, the product's coupon
    /// titles). An unlisted coupon (upload header `Coupon-Listed: false`: a staff or
    /// partner coupon given out by hand) is recognised in orders and identify all the same.
    /// Written by ``CatalogRepository/addCoupon(_:at:)``; the catalog's reads filter on it.
    public var listed = true
    /// The identifier its robust layer carries, as 16 lowercase hex digits: the
    /// `coupons.robust_id` a degraded copy is looked up by, together with
    /// ``robustKeyGeneration``. Without a robust layer it is the public v1 identifier
    /// (`CouponRobustIdentity.hex(issuerId:serial:)`), which names nothing since no key
    /// generation goes with it.
    public var robustId: String
    /// Which of its merchant's robust keys (``MerchantRobustKey/generation``) the upload's
    /// robust layer was read under; nil when the picture carried none. A copy names this
    /// coupon only when read under exactly this key of this merchant.
    public var robustKeyGeneration: Int?
    /// What the upload verified: the opened, signed terms and the reveal-key epoch they
    /// were sealed under. An order with a copy applies these instead of verifying the
    /// stored picture again. Nil for coupons uploaded before they were kept (SQLite
    /// migration "v8", PostgreSQL schema version 6): those are verified again when a copy
    /// names them.
    public var verified: VerifiedTerms?

    public init(
        id: String, productId: String, issuerId: String, serial: String, title: String, discount: Discount,
        png: [UInt8], robustId: String? = nil, robustKeyGeneration: Int? = nil
    ) {
        self.id = id
        self.productId = productId
        self.issuerId = issuerId
        self.serial = serial
        self.title = title
        self.discount = discount
        self.png = png
        self.robustId = robustId ?? CouponRobustIdentity.hex(issuerId: issuerId, serial: serial)
        self.robustKeyGeneration = robustKeyGeneration
    }
}

/// Coupon terms as an upload opened and verified them (``StoredCoupon/verified``).
public struct VerifiedTerms: Sendable, Equatable {
    public var terms: CouponTerms
    /// The reveal-key epoch of the seal.
    public var epoch: UInt32

    public init(terms: CouponTerms, epoch: UInt32) {
        (self.terms, self.epoch) = (terms, epoch)
    }
}

/// A settled order. Amounts are in the product's currency.
public struct Order: Sendable, Equatable {
    public var id: String
    public var memberId: String
    public var productId: String
    public var merchantId: String
    public var quantity: Int
    public var listTotal: Money
    public var discount: Money
    public var total: Money
    public var couponSerial: String?
    public var paymentId: String
    /// The ledger transaction that settled it.
    public var transactionId: String
    /// ISO 8601, UTC.
    public var createdAt: String
    /// Which layer of the coupon's picture named the coupon (nil without a coupon).
    public var couponLayer: CouponLayer?

    public init(
        id: String, memberId: String, productId: String, merchantId: String, quantity: Int, listTotal: Money,
        discount: Money, total: Money, couponSerial: String?, paymentId: String, transactionId: String,
        createdAt: String, couponLayer: CouponLayer? = nil
    ) {
        self.id = id
        self.memberId = memberId
        self.productId = productId
        self.merchantId = merchantId
        self.quantity = quantity
        self.listTotal = listTotal
        self.discount = discount
        self.total = total
        self.couponSerial = couponSerial
        self.paymentId = paymentId
        self.transactionId = transactionId
        self.createdAt = createdAt
        self.couponLayer = couponLayer
    }
}

/// A refused order in a member's history.
public struct Rejection: Sendable, Equatable {
    /// ISO 8601, UTC, whole seconds ("2025-11-25T09:28:00Z").
    public var at: String
    /// The API reason code.
    public var code: String
    /// Set once the coupon's seal opened and its signature verified.
    public var couponSerial: String?
    /// Set when the product exists.
    public var productId: String?

    public init(at: String, code: String, couponSerial: String?, productId: String?) {
        self.at = at
        self.code = code
        self.couponSerial = couponSerial
        self.productId = productId
    }
}

/// Whom a bearer token belongs to.
public enum Principal: Sendable, Equatable {
    case member(id: String)
    case merchant(id: String)
}

/// One row of the append-only ledger; `amount` is signed minor units.
public struct LedgerEntry: Sendable, Equatable {
    public var id: Int64
    public var transactionId: String
    /// `member:<id>` or `merchant:<id>`.
    public var account: String
    public var amount: Int64
    public var currency: String
    public var createdAt: String

    public init(id: Int64, transactionId: String, account: String, amount: Int64, currency: String, createdAt: String) {
        (self.id, self.transactionId, self.account) = (id, transactionId, account)
        (self.amount, self.currency, self.createdAt) = (amount, currency, createdAt)
    }
}

/// The first response given for an `Idempotency-Key`, replayed on retries.
public struct IdempotencyRecord: Sendable, Equatable {
    /// What identifies the request body (see the server's order fingerprint).
    public var fingerprint: String
    public var status: Int
    public var body: [UInt8]

    public init(fingerprint: String, status: Int, body: [UInt8]) {
        self.fingerprint = fingerprint
        self.status = status
        self.body = body
    }
}

/// Everything one order settles in a single transaction.
public struct Settlement: Sendable {
    /// A coupon redemption to count against the coupon's limits and record.
    public struct Redemption: Sendable {
        public var issuerId: String
        public var serial: String
        public var maxUsesTotal: Int?
        public var maxUsesPerMember: Int?
        /// The discount the order applied, from the coupon's signed terms. Stored with the
        /// order (with the limits above) so that `audit` can recompute the order's discount
        /// and count its coupon's uses from the books alone.
        public var discount: Discount?

        public init(
            issuerId: String, serial: String, maxUsesTotal: Int?, maxUsesPerMember: Int?, discount: Discount? = nil
        ) {
            self.issuerId = issuerId
            self.serial = serial
            self.maxUsesTotal = maxUsesTotal
            self.maxUsesPerMember = maxUsesPerMember
            self.discount = discount
        }
    }

    public var order: Order
    public var redemption: Redemption?
    public var idempotencyKey: String
    /// The response to replay for later requests with the same key.
    public var response: IdempotencyRecord

    public init(order: Order, redemption: Redemption?, idempotencyKey: String, response: IdempotencyRecord) {
        self.order = order
        self.redemption = redemption
        self.idempotencyKey = idempotencyKey
        self.response = response
    }
}

/// What ``OrderRepository/settle(_:)`` did.
public enum SettlementOutcome: Sendable {
    /// Settled now.
    case settled(Order)
    /// The key was already used (by a concurrent request that won); nothing was settled.
    case alreadyRecorded(IdempotencyRecord)
}
