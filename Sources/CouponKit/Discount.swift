/// What a coupon takes off: a rate in basis points (1..10000, 1500 = 15%) or a fixed
/// amount in the product's currency.
public enum Discount: Hashable, Sendable {
    case rate(basisPoints: Int)
    case amount(Money)

    public static let basisPointsRange = 1...10_000

    /// Nil when the value is out of range (rate outside 1...10000, amount below 1).
    public static func validated(_ discount: Discount) -> Discount? {
        switch discount {
        case .rate(let points): basisPointsRange.contains(points) ? discount : nil
        case .amount(let money): money.amount >= 1 ? discount : nil
        }
    }

    /// The discount on an order line, by the money rules (CouponKit.docc, MoneyRules): a rate applies to
    /// the line total, an amount is taken once; rounded half-up to the minor unit; never
    /// more than the line total.
    ///
    /// ```swift
    /// Discount.rate(basisPoints: 1500).apply(to: 999 EUR) // 150 (149.85 rounds up)
    /// ```
    public func apply(to lineTotal: Money) throws(MoneyError) -> Money {
        let taken: Int64
        switch self {
        case .rate(let points):
            let (scaled, overflow) = lineTotal.amount.multipliedReportingOverflow(by: Int64(points))
            guard !overflow, scaled <= Int64.max - 5_000 else { throw .overflow }
            taken = (scaled + 5_000) / 10_000
        case .amount(let money):
            guard money.currency == lineTotal.currency else {
                throw .currencyMismatch(expected: lineTotal.currency, got: money.currency)
            }
            taken = money.amount
        }
        return Money(amount: max(0, min(taken, lineTotal.amount)), currency: lineTotal.currency)
    }

    /// "15% OFF", "12.5% OFF", "5.00 EUR OFF".
    public var headline: String {
        switch self {
        case .rate(let points):
            let whole = points / 100
            let fraction = points % 100
            if fraction == 0 { return "\(whole)% OFF" }
            let digits = fraction % 10 == 0 ? "\(fraction / 10)" : (fraction < 10 ? "0\(fraction)" : "\(fraction)")
            return "\(whole).\(digits)% OFF"
        case .amount(let money):
            return "\(money) OFF"
        }
    }
}
