import CouponKit
import Testing

/// The rule book that both the merchant upload and the order route apply.
@Suite struct CouponRulesTests {
    static let eur = Currency("EUR")!

    /// The rule book on the test product `prd_1`, priced in EUR, of merchant `iss_1`.
    func check(_ terms: CouponTerms, tampered: Bool, use: CouponRules.Use) throws(CouponRuleError) {
        try CouponRules.check(terms, keyRetired: false, tampered: tampered, productId: "prd_1", currency: Self.eur, issuerId: "iss_1", use: use)
    }

    func terms(
        product: String = "prd_1", issuer: String = "iss_1", discount: Discount = .rate(basisPoints: 1500)
    ) -> CouponTerms {
        CouponTerms(
            serial: "S-1", productId: product, title: "Deal", discount: discount,
            validFrom: 1_000, validUntil: 2_000, maxUsesTotal: nil, issuerId: issuer)
    }

    @Test func aMatchingCouponPassesOnItsFirstAndLastValidSecond() throws {
        try check(terms(), tampered: false, use: .order(at: 1_000))
        try check(terms(), tampered: false, use: .order(at: 2_000))
        try check(terms(discount: .amount(Money(amount: 100, currency: Self.eur))), tampered: false,
            use: .upload)
    }

    @Test func eachBrokenRuleIsNamed() {
        let usd = Money(amount: 100, currency: Currency("USD")!)
        let cases: [(CouponTerms, Bool, CouponRules.Use, CouponRuleError)] = [
            (terms(), true, .upload, .tampered),
            (terms(), false, .order(at: 999), .notYetValid),
            (terms(), false, .order(at: 2_001), .expired),
            (terms(product: "prd_2"), false, .upload, .wrongProduct),
            (terms(issuer: "iss_2"), false, .order(at: 1_500), .foreignIssuer),
            (terms(discount: .amount(usd)), false, .order(at: 1_500), .currencyMismatch),
        ]
        for (terms, tampered, use, expected) in cases {
            #expect(throws: expected) { try check(terms, tampered: tampered, use: use) }
        }
    }

    @Test func uploadsIgnoreTheValidityWindowButOrdersDoNot() throws {
        try check(terms(), tampered: false, use: .upload)
        #expect(throws: CouponRuleError.expired) {
            try check(terms(), tampered: false, use: .order(at: 5_000))
        }
    }

    /// A copy named by the robust layer is judged by the coupon's own terms, and refused
    /// only when those are fragile-only; the original is never refused for it.
    @Test func copiesOfFragileOnlyCouponsAreDegraded() throws {
        var strict = terms()
        strict.fragileOnly = true
        let rules = { (terms: CouponTerms, layer: CouponLayer) throws(CouponRuleError) in
            try CouponRules.check(
                terms, keyRetired: false, tampered: false, productId: "prd_1", currency: Self.eur, issuerId: "iss_1",
                use: .order(at: 1_500), layer: layer)
        }
        try rules(strict, .fragile)
        try rules(terms(), .robust)
        #expect(throws: CouponRuleError.degraded) { try rules(strict, .robust) }
        #expect(CouponRuleError.degraded.reasonCode == .couponDegraded)
    }

    @Test func theFirstBrokenRuleWins() {
        #expect(throws: CouponRuleError.tampered) {
            try check(terms(product: "x", issuer: "y"), tampered: true, use: .order(at: 0))
        }
        #expect(throws: CouponRuleError.wrongProduct) {
            try check(terms(product: "x", issuer: "y"), tampered: false, use: .upload)
        }
    }

    @Test func typedErrorsNameTheirReason() {
        #expect(CouponRuleError.tampered.reasonCode == .couponTampered)
        #expect(CouponRuleError.foreignIssuer.reasonCode == .couponBadSignature)
        #expect(CouponFailure.badSeal.reasonCode == .couponBadSeal)
        #expect(CouponFailure.unknownEpoch(3).reasonCode == .couponUnknownEpoch)
        #expect(CouponFailure.unreadable("x").reasonCode == .couponUnreadable)
    }
}
