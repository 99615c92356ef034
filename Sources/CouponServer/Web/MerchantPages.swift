import CouponAPI
import CouponKit
import CouponStore
import Foundation
import Hummingbird
import HummingbirdAuth

/// The shop's terminal on `/merchant`: sign-in with the merchant token, the dashboard
/// (products, coupons with their uses and a revoke button, orders a page at a time, the
/// redemption charts), adding products. Uploading and revoking coupons are in
/// `MerchantCouponPages.swift`.
extension WebTerminal {
    func registerShopPages(on group: RouterGroup<AppRequestContext>) {
        let page = guarded(shop: true)
        group.get("", use: page(dashboard))
        group.get("/login", use: page(loginPage))
        group.post("/login", use: page(login))
        group.post("/signout", use: page(shopSignOut))
        group.post("/products", use: page(addProduct))
        group.post("/coupons", use: page(uploadCoupon))
        group.get("/coupons/:serial/revoke", use: page(confirmRevoke))
        group.post("/coupons/:serial/revoke", use: page(revoke))
    }

    struct LoginPage {
        var chrome: Chrome
        var error: String?
    }

    func loginPage(_ request: Request, _ context: AppRequestContext) -> Response {
        let (chrome, cookie) = chrome(request, context, shop: true)
        return page("merchant-login", LoginPage(chrome: chrome), cookie: cookie)
    }

    func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (chrome, _) = chrome(request, context, shop: true)
        let form = try await WebForm.read(request, maxBytes: maxBodyBytes)
        try requireCSRF(form, request, context, .merchant)
        guard let token = form.text("token"), token.utf8.count <= 512,
            case .merchant(let id)? = try await repository.principal(tokenHash: AccessToken.hash(token))
        else {
            let error = "That is not a merchant token this server knows (or it was rotated)."
            return page("merchant-login", LoginPage(chrome: chrome, error: error), status: .unauthorized)
        }
        context.sessions.createSession(WebSession(kind: .merchant, principalId: id, createdAt: clock()), expiresIn: sessionLifetime)
        return PageRenderer.redirect(to: "/merchant")
    }

    func shopSignOut(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await WebForm.read(request, maxBytes: maxBodyBytes)
        try requireCSRF(form, request, context, .merchant)
        context.sessions.clearSession()
        return PageRenderer.redirect(to: "/merchant/login")
    }

    // MARK: The dashboard

    struct Dashboard {
        struct CouponRow {
            var serial: String
            var title: String
            var productName: String
            var uses: Int
            var revoked: Bool
            var revokedWhen: String
        }

        struct OrderRow {
            var at: String
            var when: String
            var product: String
            var quantity: Int
            var total: String
            var serial: String
            var memberId: String
        }

        struct Verdict {
            var accepted: Bool
            var serial = ""
            var discount = ""
            var robustText = ""
            var words = ""
            var code = ""
        }

        var chrome: Chrome
        var merchantName: String
        var notice: String?
        var verdict: Verdict?
        var products: [ProductCard]
        var coupons: [CouponRow]
        var orders: [OrderRow]
        var previousPage: Int?
        var nextPage: Int?
        var chartPerDay: String
        var chartPerCoupon: String
        var chartDays = WebTerminal.chartDays
        var product: [String: String] = ["currency": "EUR"]
        var productErrors: [String: String] = [:]
        var uploadTitle = ""
        var uploadErrors: [String: String] = [:]
    }

    static var ordersPageSize: Int { 20 }
    static var chartDays: Int { 14 }
    static var couponListLimit: Int { 200 }

    /// The dashboard's data for the signed-in shop; `ordersPage` counts from 1.
    func dashboardData(_ session: WebSession, ordersPage: Int = 1, selectedProduct: String? = nil) async throws -> Dashboard {
        let merchantId = session.principalId
        let merchant = try await repository.merchant(id: merchantId)
        var products = try await repository.products().filter { $0.merchantId == merchantId }.map(ProductCard.init)
        for index in products.indices { products[index].selected = products[index].id == selectedProduct }
        let names = Dictionary(products.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let now = clock()
        let summaries = try await repository.merchantCoupons(merchantId: merchantId, limit: Self.couponListLimit)
        let coupons = summaries.map { coupon in
            Dashboard.CouponRow(
                serial: coupon.serial, title: coupon.title, productName: coupon.productName, uses: coupon.uses,
                revoked: coupon.revokedAt != nil, revokedWhen: coupon.revokedAt.map { WebText.when($0, now: now) } ?? "")
        }
        let page = max(1, ordersPage)
        let orders = try await repository.merchantOrders(
            merchantId: merchantId, offset: (page - 1) * Self.ordersPageSize, limit: Self.ordersPageSize + 1)
        let rows = orders.prefix(Self.ordersPageSize).map { order in
            Dashboard.OrderRow(
                at: order.createdAt, when: WebText.when(order.createdAt, now: now), product: names[order.productId] ?? order.productId,
                quantity: order.quantity, total: "\(order.total)", serial: order.couponSerial ?? "none", memberId: order.memberId)
        }
        return Dashboard(
            chrome: Chrome(shop: true, signedIn: true, csrf: session.csrf), merchantName: merchant?.name ?? "Your shop",
            products: products, coupons: coupons, orders: Array(rows), previousPage: page > 1 ? page - 1 : nil,
            nextPage: orders.count > Self.ordersPageSize ? page + 1 : nil,
            chartPerDay: try await perDayChart(merchantId: merchantId, now: now).svg(),
            chartPerCoupon: perCouponChart(summaries).svg())
    }

    private func perDayChart(merchantId: String, now: Date) async throws -> RedemptionChart {
        let days = (0..<Self.chartDays).reversed().map { now.addingTimeInterval(-Double($0) * 86_400) }
        let keys = days.map { String(Timestamp.string($0).prefix(10)) }
        let counts = try await repository.couponOrdersPerDay(merchantId: merchantId, since: keys[0])
        let byDay = Dictionary(counts.map { ($0.day, $0.count) }, uniquingKeysWith: +)
        let bars = zip(days, keys).map { day, key in
            RedemptionChart.Bar(label: String(key.suffix(2)), value: byDay[key] ?? 0, title: WebText.day(day))
        }
        return RedemptionChart(id: "redemptions", caption: "Orders with a coupon per day, last \(Self.chartDays) days", bars: bars)
    }

    private func perCouponChart(_ coupons: [MerchantCouponSummary]) -> RedemptionChart {
        let top = coupons.sorted { $0.uses > $1.uses }.prefix(12)
        let bars = top.map { RedemptionChart.Bar(label: String($0.serial.suffix(6)), value: $0.uses, title: "\($0.title) (\($0.serial))") }
        return RedemptionChart(
            id: "redemptions-per-coupon", caption: "Uses so far per coupon (the serial's last six characters)", bars: Array(bars),
            barWidth: 44)
    }

    func dashboard(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let session = session(context, .merchant) else { return PageRenderer.redirect(to: "/merchant/login") }
        let ordersPage = request.uri.queryParameters.get("orders_page").flatMap { Int($0) } ?? 1
        var data = try await dashboardData(session, ordersPage: min(max(1, ordersPage), 100_000))
        if let added = request.uri.queryParameters.get("added"), let product = data.products.first(where: { $0.id == added }) {
            data.notice = "Added \(product.name) (\(product.price))."
        }
        if let revoked = request.uri.queryParameters.get("revoked"), data.coupons.contains(where: { $0.serial == revoked }) {
            data.notice = "Coupon \(revoked) is revoked: orders with it are refused from now on."
        }
        return page("merchant", data)
    }

    func addProduct(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let session = session(context, .merchant) else { return PageRenderer.redirect(to: "/merchant/login") }
        let form = try await WebForm.read(request, maxBytes: maxBodyBytes)
        try requireCSRF(form, request, context, .merchant)
        var data = try await dashboardData(session)
        data.product = [
            "sku": form["sku"] ?? "", "name": form["name"] ?? "", "description": form["description"] ?? "",
            "price": form["price"] ?? "", "currency": form["currency"] ?? "",
        ]
        if form.text("sku") == nil { data.productErrors["sku"] = "Enter the product's SKU." }
        if form.text("name") == nil { data.productErrors["name"] = "Enter the product's name." }
        let amount = form.text("price").flatMap(WebText.minorUnits)
        if amount == nil { data.productErrors["price"] = "Enter a price like 9.99 (at most two decimals)." }
        let currency = form.text("currency")?.uppercased() ?? ""
        if Currency(currency) == nil { data.productErrors["currency"] = "Enter a three-letter currency code such as EUR." }
        guard data.productErrors.isEmpty, let amount else { return page("merchant", data, status: .unprocessableContent) }
        let body = Components.Schemas.NewProduct(
            sku: form.text("sku") ?? "", name: form.text("name") ?? "", description: form["description"],
            price: .init(amount: amount, currency: currency))
        do {
            let output = try await asCaller(session) { try await service.createProduct(.init(body: .json(body))) }
            guard case .created(let created) = output, case .json(let product) = created.body else {
                throw Problem(.internalError, detail: "the product was not added")
            }
            return PageRenderer.redirect(to: "/merchant?added=\(product.id)")
        } catch {
            let problem = Problem(error)
            let field = ["sku", "name", "description", "price"].first { problem.detail.hasPrefix($0) } ?? "form"
            data.productErrors[field] = problem.detail
            return page("merchant", data, status: problem.status)
        }
    }
}
