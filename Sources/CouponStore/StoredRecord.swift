import CouponKit
import Foundation

/// The records as both stores read them back from a row of their table (the column
/// names are the same in both schemas): one definition of what a valid row is.
package enum StoredRecord {
    package static func merchant(_ reader: some StoreRowReading) throws(StoreError) -> Merchant {
        let key = try reader.issuerPublicKey("public_key")
        return Merchant(
            id: try reader.text("id"), name: try reader.text("name"), issuerId: try reader.text("issuer_id"),
            publicKey: key.rawBytes)
    }

    /// A member; a corporate member must have both company columns, an individual neither.
    package static func member(_ reader: some StoreRowReading) throws(StoreError) -> Member {
        let kind: Member.Kind = try reader.kind("kind")
        let companyName = try reader.optionalText("company_name")
        let registration = try reader.optionalText("company_registration_number")
        let company: Member.Company?
        switch (kind, companyName, registration) {
        case (.corporate, let name?, let number?): company = Member.Company(name: name, registrationNumber: number)
        case (.corporate, nil, _): throw reader.corrupt("company_name")
        case (.corporate, _, nil): throw reader.corrupt("company_registration_number")
        case (.individual, nil, _): company = nil
        case (.individual, _?, _): throw reader.corrupt("company_name")
        }
        return Member(
            id: try reader.text("id"), kind: kind, name: try reader.text("name"), email: try reader.text("email"),
            company: company)
    }

    package static func rejection(_ reader: some StoreRowReading) throws(StoreError) -> Rejection {
        Rejection(
            at: try reader.text("at"), code: try reader.text("code"),
            couponSerial: try reader.optionalText("coupon_serial"), productId: try reader.optionalText("product_id"))
    }

    /// A product without its coupon links (the caller adds them).
    package static func product(_ reader: some StoreRowReading) throws(StoreError) -> Product {
        Product(
            id: try reader.text("id"), merchantId: try reader.text("merchant_id"), sku: try reader.text("sku"),
            name: try reader.text("name"), description: try reader.text("description"),
            price: try reader.money("price_amount", currency: "currency"))
    }

    /// A coupon's discount: a rate without a currency, or an amount with one; anything
    /// else (an unknown kind, an amount without a valid currency) is a corrupt row.
    package static func discount(_ reader: some StoreRowReading) throws(StoreError) -> Discount {
        let value = try reader.integer("discount_value")
        switch try reader.text("discount_kind") {
        case "rate":
            guard let points = Int(exactly: value) else { throw reader.corrupt("discount_value") }
            return .rate(basisPoints: points)
        case "amount":
            return .amount(Money(amount: value, currency: try reader.currency("discount_currency")))
        default:
            throw reader.corrupt("discount_kind")
        }
    }

    /// A stored coupon, its PNG included.
    package static func coupon(_ reader: some StoreRowReading) throws(StoreError) -> StoredCoupon {
        var coupon = StoredCoupon(
            id: try reader.text("id"), productId: try reader.text("product_id"), issuerId: try reader.text("issuer_id"),
            serial: try reader.text("serial"), title: try reader.text("title"), discount: try discount(reader),
            png: try reader.bytes("png"), robustId: try reader.optionalText("robust_id"),
            robustKeyGeneration: try reader.optionalInteger("robust_key_generation").map { value throws(StoreError) in
                guard let generation = Int(exactly: value), generation >= 1 else { throw reader.corrupt("robust_key_generation") }
                return generation
            })
        coupon.verified = try verified(reader)
        return coupon
    }

    /// `coupons.verified_terms` (base64 of the terms' ``TokenCodec`` encoding) and
    /// `coupons.seal_epoch`: both or neither.
    private static func verified(_ reader: some StoreRowReading) throws(StoreError) -> VerifiedTerms? {
        let text = try reader.optionalText("verified_terms")
        let epoch = try reader.optionalInteger("seal_epoch")
        guard let text, let epoch else {
            guard text == nil, epoch == nil else { throw reader.corrupt(text == nil ? "verified_terms" : "seal_epoch") }
            return nil
        }
        guard let bytes = Data(base64Encoded: text), let terms = try? TokenCodec.decode(Array(bytes)) else {
            throw reader.corrupt("verified_terms")
        }
        guard let sealEpoch = UInt32(exactly: epoch) else { throw reader.corrupt("seal_epoch") }
        return VerifiedTerms(terms: terms, epoch: sealEpoch)
    }

    /// A new coupon's computed columns, as both stores insert them.
    package struct CouponColumns {
        package let createdAt: String
        package let discountKind: String
        package let discountValue: Int64
        package let discountCurrency: String?
        package let verifiedTerms: String?
        package let sealEpoch: Int64?
    }

    /// `created_at`, the discount's three columns and what upload verified, for `coupon`
    /// added at `date` (the inverses of ``discount(_:)`` and the reading above).
    package static func columns(of coupon: StoredCoupon, at date: Date) -> CouponColumns {
        let discount = columns(of: coupon.discount)
        let verified = columns(of: coupon.verified)
        return CouponColumns(
            createdAt: Timestamp.string(date), discountKind: discount.kind, discountValue: discount.value,
            discountCurrency: discount.currency, verifiedTerms: verified.terms, sealEpoch: verified.epoch)
    }

    /// ``StoredCoupon/verified`` as its two columns.
    private static func columns(of verified: VerifiedTerms?) -> (terms: String?, epoch: Int64?) {
        guard let verified else { return (nil, nil) }
        return (Data(TokenCodec.encode(verified.terms)).base64EncodedString(), Int64(verified.epoch))
    }

    /// A discount as the `coupons` columns `discount_kind`, `discount_value` and
    /// `discount_currency` hold it.
    package static func columns(of discount: Discount) -> (kind: String, value: Int64, currency: String?) {
        switch discount {
        case .rate(let points): ("rate", Int64(points), nil)
        case .amount(let money): ("amount", money.amount, money.currency.code)
        }
    }

    /// A row of `products p JOIN merchants m` with `p.id`, `p.merchant_id`,
    /// `p.price_amount`, `p.currency` and `m.issuer_id`.
    package static func pricing(_ reader: some StoreRowReading) throws(StoreError) -> ProductPricing {
        ProductPricing(
            productId: try reader.text("id"), merchantId: try reader.text("merchant_id"),
            issuerId: try reader.text("issuer_id"), price: try reader.money("price_amount", currency: "currency"))
    }

    /// The SQL condition, on a row of `coupons`, that its serial is not revoked: the
    /// catalog hands out no revoked coupon.
    package static let notRevoked =
        "NOT EXISTS (SELECT 1 FROM revoked_coupons r WHERE r.issuer_id = coupons.issuer_id AND r.serial = coupons.serial)"

    /// The SQL condition, on a row of `coupons`, that the catalog may hand it out: listed
    /// (``StoredCoupon/listed``) and not revoked. (A retired epoch is the server's to judge:
    /// the epoch is sealed in the picture, not stored in the row.)
    package static let handedOut = "coupons.listed AND " + notRevoked

    package static func order(_ reader: some StoreRowReading) throws(StoreError) -> Order {
        Order(
            id: try reader.text("id"), memberId: try reader.text("member_id"), productId: try reader.text("product_id"),
            merchantId: try reader.text("merchant_id"), quantity: try reader.int("quantity"),
            listTotal: try reader.money("list_amount", currency: "currency"),
            discount: try reader.money("discount_amount", currency: "currency"),
            total: try reader.money("total_amount", currency: "currency"),
            couponSerial: try reader.optionalText("coupon_serial"), paymentId: try reader.text("payment_id"),
            transactionId: try reader.text("transaction_id"), createdAt: try reader.text("created_at"),
            couponLayer: try couponLayer(reader))
    }

    /// `coupon_layer`, added by the robust layer's migration. Orders settled before it
    /// hold NULL there (the tables are append-only, so they were not back-filled): with a
    /// coupon, those were all read by the fragile layer, the only one there was.
    private static func couponLayer(_ reader: some StoreRowReading) throws(StoreError) -> CouponLayer? {
        guard let text = try reader.optionalText("coupon_layer") else {
            return try reader.optionalText("coupon_serial") == nil ? nil : .fragile
        }
        guard let layer = CouponLayer(rawValue: text) else { throw reader.corrupt("coupon_layer") }
        return layer
    }
}

extension StoredRecord {
    /// A reveal key and whether its epoch is retired (`retired_at` set).
    package static func revealKey(_ reader: some StoreRowReading) throws(StoreError) -> (key: RevealKey, retired: Bool) {
        (try reader.revealKey(epoch: "epoch", key: "key"), try reader.optionalText("retired_at") != nil)
    }

    /// Whom a token row names: exactly one of a member and a merchant.
    package static func principal(_ reader: some StoreRowReading) throws(StoreError) -> Principal {
        if let member = try reader.optionalText("member_id") { return .member(id: member) }
        if let merchant = try reader.optionalText("merchant_id") { return .merchant(id: merchant) }
        throw reader.corrupt("merchant_id")
    }

    /// Coupon links by product id from rows of `id, product_id, title`, in row order.
    package static func couponLinks(_ readers: some Sequence<some StoreRowReading>) throws(StoreError)
        -> [String: [Product.CouponLink]]
    {
        var links: [String: [Product.CouponLink]] = [:]
        for reader in readers {
            links[try reader.text("product_id"), default: []].append(
                Product.CouponLink(id: try reader.text("id"), title: try reader.text("title")))
        }
        return links
    }

    package static func ledgerEntry(_ reader: some StoreRowReading) throws(StoreError) -> LedgerEntry {
        LedgerEntry(
            id: try reader.integer("id"), transactionId: try reader.text("transaction_id"),
            account: try reader.text("account"), amount: try reader.integer("amount"),
            currency: try reader.text("currency"), createdAt: try reader.text("created_at"))
    }

    package static func idempotencyRecord(_ reader: some StoreRowReading) throws(StoreError) -> IdempotencyRecord {
        IdempotencyRecord(
            fingerprint: try reader.text("fingerprint"), status: try reader.int("status"), body: try reader.bytes("body"))
    }

    /// An order as the audit reads it: the columns as stored, no model type's checks.
    package static func auditedOrder(_ reader: some StoreRowReading) throws(StoreError) -> AuditedOrder {
        AuditedOrder(
            id: try reader.text("id"), memberId: try reader.text("member_id"), merchantId: try reader.text("merchant_id"),
            listTotal: try reader.integer("list_amount"), discount: try reader.integer("discount_amount"),
            total: try reader.integer("total_amount"), currency: try reader.text("currency"),
            transactionId: try reader.text("transaction_id"), couponSerial: try reader.optionalText("coupon_serial"),
            applied: AppliedCouponColumns(
                issuerId: try reader.optionalText("coupon_issuer_id"),
                discountKind: try reader.optionalText("coupon_discount_kind"),
                discountValue: try reader.optionalInteger("coupon_discount_value"),
                discountCurrency: try reader.optionalText("coupon_discount_currency"),
                maxUsesTotal: try reader.optionalInteger("coupon_max_uses_total"),
                maxUsesPerMember: try reader.optionalInteger("coupon_max_uses_per_member")))
    }

    /// The columns ``auditedOrder(_:)`` reads, for the stores' audit queries.
    package static let auditedOrderColumns =
        "id, member_id, merchant_id, list_amount, discount_amount, total_amount, currency, transaction_id, coupon_serial, "
        + AppliedCouponColumns.names.joined(separator: ", ")

    package static func auditedRedemption(_ reader: some StoreRowReading) throws(StoreError) -> CouponAudit.Redemption {
        CouponAudit.Redemption(
            orderId: try reader.text("order_id"), issuerId: try reader.text("issuer_id"), serial: try reader.text("serial"),
            memberId: try reader.text("member_id"))
    }

    /// The uploaded coupons' discounts, keyed by ``CouponAudit/key(issuerId:serial:)``
    /// (the first upload of a serial, where databases from before "v4" hold two).
    package static func uploadedDiscounts(_ readers: some Sequence<some StoreRowReading>) throws(StoreError)
        -> [String: CouponAudit.StoredDiscount]
    {
        var discounts: [String: CouponAudit.StoredDiscount] = [:]
        for reader in readers {
            let key = CouponAudit.key(issuerId: try reader.text("issuer_id"), serial: try reader.text("serial"))
            if discounts[key] != nil { continue }
            discounts[key] = CouponAudit.StoredDiscount(
                kind: try reader.text("discount_kind"), value: try reader.integer("discount_value"),
                currency: try reader.optionalText("discount_currency"))
        }
        return discounts
    }

    package static func auditedEntry(_ reader: some StoreRowReading) throws(StoreError) -> AuditedEntry {
        AuditedEntry(
            transactionId: try reader.text("transaction_id"), account: try reader.text("account"),
            amount: try reader.integer("amount"), currency: try reader.text("currency"))
    }
}
