import CouponAPI
import CouponKit
import CouponStore
import Foundation
import Hummingbird
import OpenAPIRuntime

/// `POST /products/{id}/order`: the product page's order form, placed through the API's
/// own `createOrder` as the signed-in member (the same rules, the same refusal records in
/// the member's history). The form's hidden `idempotency_key`, made when the page was
/// shown, is the order's `Idempotency-Key`: sending the form twice places one order.
extension WebTerminal {
    struct OrderResultPage {
        struct Placed {
            var orderId: String
            var quantity: Int
            var productName: String
            var listTotal: String
            var discount: String
            var total: String
            var couponSerial: String?
            var layerText: String?
            var replayed: Bool
        }

        struct Refusal {
            var words: String
            var code: String
        }

        var chrome: Chrome
        var productId: String
        var order: Placed?
        var refusal: Refusal?
    }

    func placeOrder(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let productId = try context.parameters.require("id")
        guard let session = session(context, .member) else {
            return PageRenderer.redirect(to: "/join?next=/products/\(productId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "")")
        }
        let form = try await WebForm.read(request, maxBytes: maxBodyBytes)
        try requireCSRF(form, request, context, .member)
        let chrome = Chrome(shop: false, signedIn: true, csrf: session.csrf)
        guard var data = try await productPageData(id: productId, chrome: chrome) else {
            return problemPage(CatalogError.productNotFound(productId), chrome: chrome, back: "/")
        }
        // Form mistakes are shown beside their field and recorded nowhere: nothing was ordered.
        let choice = form["coupon_choice"] ?? (form.file("coupon") != nil ? "upload" : "none")
        data.choice = [choice: true]
        data.quantity = form["quantity"] ?? ""
        if let key = form.text("idempotency_key"), APIService<Repository>.isValidKey(key) { data.idempotencyKey = key }
        let quantity = form.text("quantity").flatMap { Int($0) }
        if quantity == nil || !(1...APIService<Repository>.maxQuantity).contains(quantity!) {
            data.errors["quantity"] = "Enter a whole number from 1 to \(APIService<Repository>.maxQuantity)."
        }
        var picture: [UInt8]?
        switch choice {
        case "upload":
            picture = form.file("coupon")
            if picture == nil { data.errors["coupon"] = "Choose the coupon picture to upload, or order without one." }
        case "product":
            picture = try? await currentCoupon(productId: productId)
            if picture == nil { data.errors["coupon"] = "This product has no coupon at the moment." }
        default:
            picture = nil
        }
        guard data.errors.isEmpty, let quantity else { return page("product", data, status: .unprocessableContent) }

        let body = Components.Schemas.OrderRequest(
            productId: productId, quantity: quantity, couponImage: picture.map { Data($0).base64EncodedString() })
        let input = Operations.CreateOrder.Input(headers: .init(idempotencyKey: data.idempotencyKey), body: .json(body))
        var result = OrderResultPage(chrome: chrome, productId: productId)
        do {
            let output = try await asCaller(session) {
                try await refusals.recording(memberId: session.principalId) { try await service.createOrder(input) }
            }
            guard case .created(let created) = output, case .json(let order) = created.body else {
                throw Problem(.internalError, detail: "the order was not placed")
            }
            result.order = placed(order, productName: data.product.name, replayed: created.headers.idempotentReplayed != nil)
            return page("order-result", result, status: .created)
        } catch {
            let problem = Problem(error)
            result.refusal = .init(words: problem.detail, code: problem.code.rawValue)
            return page("order-result", result, status: problem.status)
        }
    }

    private func placed(_ order: Components.Schemas.Order, productName: String, replayed: Bool) -> OrderResultPage.Placed {
        func money(_ wire: Components.Schemas.Money) -> String {
            Currency(wire.currency).map { "\(Money(amount: wire.amount, currency: $0))" } ?? "\(wire.amount) \(wire.currency)"
        }
        let layer = order.couponLayer.flatMap { CouponLayer(rawValue: $0.rawValue) }
        return .init(
            orderId: order.orderId, quantity: order.quantity, productName: productName, listTotal: money(order.listTotal),
            discount: money(order.discount), total: money(order.total), couponSerial: order.couponSerial?.value,
            layerText: layer.map(WebText.layer), replayed: replayed)
    }
}
