/// The one rule book for a coupon that opened and verified: the merchant upload and the
/// order route both ask it, so the two can never disagree.
///
/// Rules, in the order they are checked (the first broken one is the answer):
/// 0. the key epoch it was sealed under is not retired (`coupon_key_retired`);
/// 1. the artwork is untouched since minting (`coupon_tampered`); a copy that only the
///    robust layer identified (``CouponLayer/robust``) is judged by the terms of the
///    coupon it names, and refused when those are ``CouponTerms/fragileOnly``
///    (`coupon_degraded`);
/// 1a. a ``CouponTerms/personal`` coupon is ordered with a copy bound to the member
///    who orders: a picture bound to no one is `coupon_not_personalised`, one bound to
///    someone else `coupon_not_yours` (an upload of the merchant's own original, bound
///    to no one, passes);
/// 2. for an order, `now` lies in `valid_from...valid_until`, both inclusive
///    (`coupon_not_yet_valid`, `coupon_expired`); an upload may be early or late, since
///    a merchant stores coupons ahead of a campaign;
/// 3. the coupon names this product (`coupon_wrong_product`);
/// 4. its issuer is the product's merchant (`coupon_bad_signature`: a valid signature,
///    but by someone who may not discount this product);
/// 5. an amount discount is in the product's currency (`coupon_currency_mismatch`),
///    the only currency check anywhere: once it passes, applying the discount cannot
///    meet another currency.
///
/// A revoked serial and the redemption limits are not here: they are counted in the
/// settlement's database transaction, so that concurrent orders cannot both pass.
///
/// ```swift
/// try CouponRules.check(terms, keyRetired: false, tampered: false, productId: "prd_1",
///     currency: Currency("EUR")!, issuerId: "iss_1", use: .order(at: now))
/// ```
public enum CouponRules {
    /// Where the coupon is being used.
    public enum Use: Sendable, Equatable {
        /// A merchant uploads it to the catalog.
        case upload
        /// A member orders with it at this time (Unix seconds, UTC).
        case order(at: Int64)
    }

    /// Checks `terms` against the product it is used on: `productId`, the currency of its
    /// price and its merchant's `issuerId`. `layer` is the layer of the picture that
    /// named the coupon; `boundTo` the member a personal copy was issued to (its verified
    /// binding, or the copy its robust layer names), nil when the picture is bound to no
    /// one; `orderedBy` the member ordering.
    public static func check(
        _ terms: CouponTerms, keyRetired: Bool, tampered: Bool, productId: String, currency: Currency,
        issuerId: String, use: Use, layer: CouponLayer = .fragile, boundTo: String? = nil, orderedBy: String? = nil
    ) throws(CouponRuleError) {
        guard !keyRetired else { throw .keyRetired }
        guard !tampered else { throw .tampered }
        guard layer == .fragile || !terms.fragileOnly else { throw .degraded }
        if terms.personal, case .order = use {
            guard let boundTo else { throw .notPersonalised }
            // Member ids are not secrets; the comparison need not be constant time.
            guard boundTo == orderedBy else { throw .notYours }
        }
        if case .order(let now) = use {
            switch terms.validity(at: now) {
            case .valid: break
            case .notYetValid: throw .notYetValid
            case .expired: throw .expired
            }
        }
        guard terms.productId == productId else { throw .wrongProduct }
        guard terms.issuerId == issuerId else { throw .foreignIssuer }
        if case .amount(let money) = terms.discount, money.currency != currency {
            throw .currencyMismatch
        }
    }
}
