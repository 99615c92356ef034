import CouponAPI
import CouponKit
import CouponStore
import Foundation
import Hummingbird
import OpenAPIRuntime

/// Uploading a minted coupon (the API's `uploadCoupon`: the server opens and verifies it
/// and shows its verdict on the dashboard) and revoking one, after a confirmation page.
extension WebTerminal {
    func uploadCoupon(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let session = session(context, .merchant) else { return PageRenderer.redirect(to: "/merchant/login") }
        let form = try await WebForm.read(request, maxBytes: maxBodyBytes)
        try requireCSRF(form, request, context, .merchant)
        let productId = form.text("product_id") ?? ""
        var data = try await dashboardData(session, selectedProduct: productId)
        data.uploadTitle = form["title"] ?? ""
        if productId.isEmpty { data.uploadErrors["productId"] = "Choose the product the coupon is for." }
        guard let png = form.file("coupon") else {
            data.uploadErrors["coupon"] = "Choose the minted coupon's PNG file."
            return page("merchant", data, status: .unprocessableContent)
        }
        guard data.uploadErrors.isEmpty else { return page("merchant", data, status: .unprocessableContent) }
        let input = Operations.UploadCoupon.Input(
            path: .init(productId: productId), headers: .init(couponTitle: form.text("title")), body: .png(HTTPBody(png)))
        do {
            let output = try await asCaller(session) { try await service.uploadCoupon(input) }
            guard case .created(let created) = output, case .json(let upload) = created.body else {
                throw Problem(.internalError, detail: "the coupon was not stored")
            }
            let discount = Discount(upload.discount)?.headline ?? ""
            let robust =
                upload.robustLayer
                ? "Copies of it (screenshots, JPEG and WebP) are recognised too."
                : "It has no robust layer under your key: only the original picture redeems."
            data = try await dashboardData(session, selectedProduct: productId)
            data.verdict = .init(accepted: true, serial: upload.serial, discount: discount, robustText: robust)
            return page("merchant", data, status: .created)
        } catch {
            let problem = Problem(error)
            data.verdict = .init(accepted: false, words: problem.detail, code: problem.code.rawValue)
            return page("merchant", data, status: problem.status)
        }
    }

    struct ConfirmRevokePage {
        var chrome: Chrome
        var serial: String
        var title: String
    }

    func confirmRevoke(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let session = session(context, .merchant) else { return PageRenderer.redirect(to: "/merchant/login") }
        let serial = try context.parameters.require("serial")
        let chrome = Chrome(shop: true, signedIn: true, csrf: session.csrf)
        let coupons = try await repository.merchantCoupons(merchantId: session.principalId, limit: Self.couponListLimit)
        guard let coupon = coupons.first(where: { $0.serial == serial }) else {
            return problemPage(CatalogError.serialNotFound(serial), chrome: chrome, back: "/merchant#coupons")
        }
        return page("confirm-revoke", ConfirmRevokePage(chrome: chrome, serial: coupon.serial, title: coupon.title))
    }

    func revoke(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let session = session(context, .merchant) else { return PageRenderer.redirect(to: "/merchant/login") }
        let form = try await WebForm.read(request, maxBytes: maxBodyBytes)
        try requireCSRF(form, request, context, .merchant)
        let serial = try context.parameters.require("serial")
        do {
            _ = try await asCaller(session) { try await service.revokeCoupon(.init(path: .init(serial: serial))) }
        } catch {
            return problemPage(error, chrome: Chrome(shop: true, signedIn: true, csrf: session.csrf), back: "/merchant#coupons")
        }
        let encoded = serial.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return PageRenderer.redirect(to: "/merchant?revoked=\(encoded)#coupons")
    }
}
