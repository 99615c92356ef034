import CouponKit
import CouponStore
import Foundation
import Hummingbird

/// `/account`: the member's orders and refused attempts, a page at a time (the history's
/// own cursor, as `GET /v1/members/me/history` pages it), and the sign-out button.
extension WebTerminal {
    struct AccountPage {
        struct OrderRow {
            var at: String
            var when: String
            var product: String
            var quantity: Int
            var listTotal: String
            var discount: String
            var total: String
            var serial: String
        }

        struct RejectionRow {
            var at: String
            var when: String
            var code: String
            var words: String
            var product: String
            var serial: String
        }

        var chrome: Chrome
        var memberId: String
        var name: String?
        var orders: [OrderRow]
        var rejections: [RejectionRow]
        var firstPage: Bool
        var nextCursor: String?
        var pageSize = WebTerminal.historyPageSize
    }

    /// Rows per list and page.
    static var historyPageSize: Int { 20 }

    func account(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let session = session(context, .member) else { return PageRenderer.redirect(to: "/join?next=/account") }
        let chrome = Chrome(shop: false, signedIn: true, csrf: session.csrf)
        var cursor = HistoryCursor.start
        let cursorText = request.uri.queryParameters.get("cursor")
        if let cursorText {
            guard let parsed = HistoryCursor(encoded: cursorText) else {
                return problemPage(RequestError.malformed("that page of the history does not exist"), chrome: chrome, back: "/account")
            }
            cursor = parsed
        }
        let history = try await repository.history(memberId: session.principalId, after: cursor, limit: Self.historyPageSize)
        let names = Dictionary(try await repository.products().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let now = clock()
        let orders = history.orders.map { order in
            AccountPage.OrderRow(
                at: order.createdAt, when: WebText.when(order.createdAt, now: now), product: names[order.productId] ?? order.productId,
                quantity: order.quantity, listTotal: "\(order.listTotal)", discount: "\(order.discount)", total: "\(order.total)",
                serial: order.couponSerial ?? "none")
        }
        let rejections = history.rejections.map { rejection in
            AccountPage.RejectionRow(
                at: rejection.at, when: WebText.when(rejection.at, now: now), code: rejection.code,
                words: ReasonCode(rawValue: rejection.code).map(Self.words) ?? "",
                product: rejection.productId.map { names[$0] ?? $0 } ?? "", serial: rejection.couponSerial ?? "")
        }
        let member = try await repository.member(id: session.principalId)
        return page(
            "account",
            AccountPage(
                chrome: chrome, memberId: session.principalId, name: member?.name, orders: orders, rejections: rejections,
                firstPage: cursorText == nil, nextCursor: history.next?.encoded))
    }

    /// A refusal's reason in a few words, for the history table.
    static func words(_ code: ReasonCode) -> String {
        switch code {
        case .couponTampered: "the coupon's picture was edited"
        case .couponExpired: "the coupon had expired"
        case .couponNotYetValid: "the coupon was not valid yet"
        case .couponWrongProduct: "the coupon is for another product"
        case .couponExhausted: "the coupon had been used up"
        case .couponRevoked: "the shop revoked the coupon"
        case .couponKeyRetired: "the coupon's key was retired"
        case .couponUnreadable: "no coupon could be read from the picture"
        case .couponBadSeal, .couponBadSignature, .couponUnknownEpoch: "the coupon is not genuine"
        case .couponCurrencyMismatch: "the coupon's amount is in another currency"
        case .couponDegraded: "the picture is a copy of a coupon that only the original redeems"
        case .couponNotYours: "the personal coupon was issued to another member"
        case .couponNotPersonalised: "the personal coupon was not your own copy"
        case .productNotFound: "no such product"
        default: ""
        }
    }
}
