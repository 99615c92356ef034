import CouponKit

/// The coupon rules the books must prove, beside the ledger's arithmetic
/// (``LedgerAudit``): an order row that gives 100 % off on a 15 % coupon, balanced in the
/// ledger, is arithmetic that adds up and a rule that does not. From the rows alone:
/// - every order with a coupon has exactly one redemption, of that serial by that member,
///   and an order without one has none (``AuditProblem/Kind/redemptionMismatch``);
/// - its discount is the coupon's discount applied to its list total, recomputed from the
///   terms the order applied (``AppliedCouponColumns``) or, for orders settled before those
///   were kept, from the uploaded coupon's stored discount when there is one
///   (``AuditProblem/Kind/discountMismatch``);
/// - no coupon was redeemed more often than its limits allowed, in total or by one member,
///   counting every redemption of the (issuer, serial) in the order they were placed, as
///   the SQLite store's settlement counts them (``AuditProblem/Kind/limitExceeded``).
package enum CouponAudit {
    /// A redemption as the audit reads it.
    package struct Redemption: Sendable, Equatable {
        package var orderId: String
        package var issuerId: String
        package var serial: String
        package var memberId: String

        package init(orderId: String, issuerId: String, serial: String, memberId: String) {
            (self.orderId, self.issuerId, self.serial, self.memberId) = (orderId, issuerId, serial, memberId)
        }
    }

    /// An uploaded coupon's stored discount, by issuer and serial.
    package struct StoredDiscount: Sendable, Equatable {
        package var kind: String
        package var value: Int64
        package var currency: String?

        package init(kind: String, value: Int64, currency: String?) {
            (self.kind, self.value, self.currency) = (kind, value, currency)
        }
    }

    /// The problems of `orders` (in the order placed), given every redemption and the
    /// uploaded coupons' discounts keyed by ``key(issuerId:serial:)``.
    package static func problems(
        orders: [AuditedOrder], redemptions: [Redemption], uploaded: [String: StoredDiscount]
    ) -> [AuditProblem] {
        let byOrder = Dictionary(grouping: redemptions, by: \.orderId)
        var problems: [AuditProblem] = []
        var usesTotal: [String: Int64] = [:]
        var usesByMember: [String: Int64] = [:]
        let known = Set(orders.map(\.id))
        for order in orders {
            let found = byOrder[order.id] ?? []
            func problem(_ kind: AuditProblem.Kind, _ detail: String) {
                problems.append(AuditProblem(kind, orderId: order.id, transactionId: order.transactionId, detail: detail))
            }
            guard let serial = order.couponSerial else {
                if !found.isEmpty { problem(.redemptionMismatch, "an order without a coupon has \(found.count) redemption(s)") }
                continue
            }
            guard found.count == 1, let redemption = found.first, redemption.serial == serial,
                redemption.memberId == order.memberId
            else {
                problem(
                    .redemptionMismatch,
                    "an order with coupon \(serial) needs exactly one redemption of it by its member; found \(found.count)")
                continue
            }
            let coupon = key(issuerId: redemption.issuerId, serial: serial)
            let member = coupon + "\u{0}" + order.memberId
            usesTotal[coupon, default: 0] += 1
            usesByMember[member, default: 0] += 1
            let applied = order.applied
            if let limit = applied.maxUsesTotal, usesTotal[coupon, default: 0] > limit {
                problem(.limitExceeded, "use \(usesTotal[coupon, default: 0]) of coupon \(serial), limited to \(limit)")
            }
            if let limit = applied.maxUsesPerMember, usesByMember[member, default: 0] > limit {
                problem(
                    .limitExceeded,
                    "use \(usesByMember[member, default: 0]) of coupon \(serial) by this member, limited to \(limit)")
            }
            let terms: StoredDiscount? =
                if let kind = applied.discountKind, let value = applied.discountValue {
                    StoredDiscount(kind: kind, value: value, currency: applied.discountCurrency)
                } else {
                    uploaded[coupon]
                }
            guard let terms else { continue }
            guard let expected = expectedDiscount(terms, listTotal: order.listTotal, currency: order.currency) else {
                problem(.discountMismatch, "coupon \(serial)'s terms (\(terms.kind) \(terms.value)) cannot apply to this order")
                continue
            }
            if expected != order.discount {
                problem(
                    .discountMismatch,
                    "discount \(order.discount) is not coupon \(serial)'s \(terms.kind) \(terms.value) of list total \(order.listTotal) (\(expected))"
                )
            }
        }
        for redemption in redemptions where !known.contains(redemption.orderId) {
            problems.append(
                AuditProblem(
                    .redemptionMismatch, orderId: redemption.orderId, transactionId: "",
                    detail: "a redemption of coupon \(redemption.serial) names no order"))
        }
        return problems
    }

    /// The key of ``problems(orders:redemptions:uploaded:)``'s `uploaded`.
    package static func key(issuerId: String, serial: String) -> String {
        issuerId + "\u{0}" + serial
    }

    /// The discount `terms` give on `listTotal`, or nil when they cannot apply (an unknown
    /// kind or currency, a rate out of range, an amount in another currency).
    static func expectedDiscount(_ terms: StoredDiscount, listTotal: Int64, currency: String) -> Int64? {
        guard let orderCurrency = Currency(currency), listTotal >= 0 else { return nil }
        let discount: Discount
        switch terms.kind {
        case "rate":
            guard let points = Int(exactly: terms.value), (0...10_000).contains(points) else { return nil }
            discount = .rate(basisPoints: points)
        case "amount":
            guard let code = terms.currency, let amountCurrency = Currency(code) else { return nil }
            discount = .amount(Money(amount: terms.value, currency: amountCurrency))
        default:
            return nil
        }
        return try? discount.apply(to: Money(amount: listTotal, currency: orderCurrency)).amount
    }
}
