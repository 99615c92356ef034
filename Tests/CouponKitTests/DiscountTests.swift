import CouponKit
import Testing

/// The money rules (CouponKit.docc, article MoneyRules): integer minor units, half-up rounding, capped at the line.
@Suite struct DiscountTests {
    let eur = Currency("EUR")!

    @Test(arguments: [
        (999, 1, 1500, 150, 849),  // 149.85 -> 150
        (10, 1, 2500, 3, 7),  // 2.5 -> 3 (half up)
        (10, 1, 2400, 2, 8),  // 2.4 -> 2
        (1, 1, 10_000, 1, 0),  // 100% never below zero
        (333, 3, 3333, 333, 666),  // 999 * 0.3333 = 332.97 -> 333
        (5, 1, 1, 0, 5),  // 0.0005 -> 0
    ])
    func rateDiscount(price: Int64, quantity: Int, basisPoints: Int, discount: Int64, total: Int64) throws {
        let line = try Money(amount: price, currency: eur).times(quantity)
        let taken = try Discount.rate(basisPoints: basisPoints).apply(to: line)
        #expect(taken.amount == discount)
        #expect(try line.minus(taken).amount == total)
    }

    @Test func amountIsTakenOnceAndCapped() throws {
        let line = try Money(amount: 400, currency: eur).times(3)
        #expect(try Discount.amount(Money(amount: 500, currency: eur)).apply(to: line).amount == 500)
        #expect(try Discount.amount(Money(amount: 5000, currency: eur)).apply(to: line).amount == 1200)
    }

    @Test func amountInAnotherCurrencyIsRefused() {
        let line = Money(amount: 1000, currency: eur)
        let usd = Money(amount: 100, currency: Currency("USD")!)
        #expect(throws: MoneyError.currencyMismatch(expected: eur, got: usd.currency)) {
            try Discount.amount(usd).apply(to: line)
        }
    }

    @Test func overflowAndQuantityAreRefused() {
        #expect(throws: MoneyError.overflow) { try Money(amount: .max / 2, currency: eur).times(3) }
        #expect(throws: MoneyError.invalidQuantity(0)) { try Money(amount: 1, currency: eur).times(0) }
        #expect(throws: MoneyError.overflow) {
            try Discount.rate(basisPoints: 10_000).apply(to: Money(amount: .max / 100, currency: eur))
        }
    }

    @Test func validation() {
        #expect(Discount.validated(.rate(basisPoints: 0)) == nil)
        #expect(Discount.validated(.rate(basisPoints: 10_001)) == nil)
        #expect(Discount.validated(.rate(basisPoints: 1)) != nil)
        #expect(Discount.validated(.amount(Money(amount: 0, currency: eur))) == nil)
        #expect(Currency("eur") == nil)
        #expect(Currency("EURO") == nil)
    }

    @Test func headlines() {
        #expect(Discount.rate(basisPoints: 1500).headline == "15% OFF")
        #expect(Discount.rate(basisPoints: 1250).headline == "12.5% OFF")
        #expect(Discount.rate(basisPoints: 1205).headline == "12.05% OFF")
        #expect(Discount.amount(Money(amount: 500, currency: eur)).headline == "5.00 EUR OFF")
    }
}
