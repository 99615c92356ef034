import CouponAPI
import CouponKit
import CouponStore
import Foundation
import Hummingbird
import HummingbirdAuth
import OpenAPIRuntime

/// The shopper's catalogue, product pages, joining and signing in and out.
extension WebTerminal {
    func registerShopperPages(on group: RouterGroup<AppRequestContext>) {
        let page = guarded(shop: false)
        group.get("/", use: page(catalogue))
        group.get("/products/:id", use: page(productPage))
        group.get("/products/:id/coupon.png", use: page(couponPicture))
        group.post("/products/:id/order", use: page(placeOrder))
        group.get("/join", use: page(joinPage))
        group.post("/join", use: page(join))
        group.get("/signin", use: page(signInPage))
        group.post("/signin", use: page(signIn))
        group.post("/signout", use: page(signOut))
        group.get("/reveal", use: page(revealPage))
        group.post("/reveal", use: page(reveal))
        group.get("/account", use: page(account))
    }

    struct ProductCard {
        var id: String
        var name: String
        var description: String
        var price: String
        var sku: String
        /// The newest linked coupon's title (the catalogue shows its picture).
        var couponTitle: String?
        var selected = false

        init(_ product: Product) {
            (id, name, description, price, sku) = (product.id, product.name, product.description, "\(product.price)", product.sku)
            couponTitle = product.coupons.last?.title
        }
    }

    struct CataloguePage {
        var chrome: Chrome
        var products: [ProductCard]
    }

    func catalogue(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (chrome, cookie) = chrome(request, context, shop: false)
        let products = try await repository.products().map(ProductCard.init)
        return page("catalogue", CataloguePage(chrome: chrome, products: products), cookie: cookie)
    }

    struct ProductPage {
        var chrome: Chrome
        var product: ProductCard
        var hasCoupon: Bool
        var couponWidth: Int
        var couponHeight: Int
        var idempotencyKey = CSRFToken.generate()
        var quantity = "1"
        var choice: [String: Bool]
        var errors: [String: String] = [:]
    }

    /// The product page's data, or nil for an unknown product. Whether it shows a coupon is
    /// read from the product's coupon links, without reading the picture (the `img` asks
    /// `/products/{id}/coupon.png` for it); its `width` and `height` are the artwork's usual
    /// 800x400, which only reserve its place until the picture arrives.
    func productPageData(id: String, chrome: Chrome) async throws -> ProductPage? {
        guard let product = try await repository.product(id: id) else { return nil }
        let hasCoupon = !product.coupons.isEmpty
        return ProductPage(
            chrome: chrome, product: ProductCard(product), hasCoupon: hasCoupon, couponWidth: 800, couponHeight: 400,
            choice: [hasCoupon ? "product" : "none": true])
    }

    func productPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (chrome, cookie) = chrome(request, context, shop: false)
        let id = try context.parameters.require("id")
        guard let data = try await productPageData(id: id, chrome: chrome) else {
            return problemPage(CatalogError.productNotFound(id), chrome: chrome, back: "/")
        }
        return page("product", data, cookie: cookie)
    }

    /// The coupon the catalog hands out for the product (the API's `GET
    /// /v1/products/{id}/coupon`), nil when it has none.
    func currentCoupon(productId: String) async throws -> [UInt8] {
        let output = try await service.getProductCoupon(.init(path: .init(productId: productId)))
        guard case .ok(let ok) = output, case .png(let body) = ok.body else { throw CatalogError.noCoupon(productId) }
        return try await [UInt8](collecting: body, upTo: .max)
    }

    /// A personal coupon's picture is the signed-in member's own copy; signed out, it is
    /// refused like the API refuses it (`unauthenticated`).
    func couponPicture(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let png =
            if let member = session(context, .member) {
                try await asCaller(member) { try await currentCoupon(productId: id) }
            } else {
                try await currentCoupon(productId: id)
            }
        var response = Response(status: .ok, body: .init(byteBuffer: .init(bytes: png)))
        response.headers[.contentType] = "image/png"
        response.headers[.cacheControl] = "private, no-cache"
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }

    // MARK: Joining and signing in

    struct JoinPage {
        var chrome: Chrome
        var next: String?
        var corporate = false
        var values: [String: String] = [:]
        var errors: [String: String] = [:]
    }

    func joinPage(_ request: Request, _ context: AppRequestContext) -> Response {
        let (chrome, cookie) = chrome(request, context, shop: false)
        let next = Self.safeNext(request.uri.queryParameters.get("next"))
        return page("join", JoinPage(chrome: chrome, next: next), cookie: cookie)
    }

    struct JoinedPage {
        var chrome: Chrome
        var name: String
        var memberId: String
        var token: String
        var continueTo: String
    }

    func join(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (chrome, _) = chrome(request, context, shop: false)
        let form = try await WebForm.read(request, maxBytes: maxBodyBytes)
        try requireCSRF(form, request, context, .member)
        let corporate = form["kind"] == "corporate"
        var data = JoinPage(chrome: chrome, next: Self.safeNext(form["next"]), corporate: corporate)
        data.values = [
            "name": form["name"] ?? "", "email": form["email"] ?? "", "companyName": form["company_name"] ?? "",
            "companyRegistrationNumber": form["company_registration_number"] ?? "",
        ]
        if form.text("name") == nil { data.errors["name"] = "Enter your name." }
        if form.text("email") == nil { data.errors["email"] = "Enter your email address." }
        if corporate {
            if form.text("company_name") == nil { data.errors["companyName"] = "Companies need their company name." }
            if form.text("company_registration_number") == nil {
                data.errors["companyRegistrationNumber"] = "Companies need their registration number."
            }
        }
        guard data.errors.isEmpty else { return page("join", data, status: .unprocessableContent) }
        let company = corporate
            ? Components.Schemas.NewCompany(
                name: form.text("company_name"), registrationNumber: form.text("company_registration_number"))
            : nil
        let body = Components.Schemas.JoinRequest(
            kind: corporate ? "corporate" : "individual", name: form.text("name") ?? "", email: form.text("email") ?? "",
            company: company)
        let joined: Components.Schemas.JoinResponse
        do {
            try await limits.admitJoin(from: ClientAddress.current ?? "unknown")
            guard case .created(let created) = try await service.joinMembership(.init(body: .json(body))),
                case .json(let json) = created.body
            else { throw Problem(.internalError, detail: "the membership was not created") }
            joined = json
        } catch {
            let problem = Problem(error)
            let words = problem.detail
            switch problem.code {
            case .memberExists: data.errors["email"] = "This email address is already a member's: sign in instead."
            case .invalidMember where words.contains("email"): data.errors["email"] = words
            case .invalidMember where words.contains("company"): data.errors["companyName"] = words
            case .invalidMember where words.contains("name"): data.errors["name"] = words
            default: data.errors["form"] = "\(words) (\(problem.code.rawValue))"
            }
            return page("join", data, status: problem.status)
        }
        context.sessions.createSession(
            WebSession(kind: .member, principalId: joined.memberId, createdAt: clock()), expiresIn: sessionLifetime)
        let signedIn = Chrome(shop: false, signedIn: true, csrf: "")
        return page(
            "joined",
            JoinedPage(
                chrome: signedIn, name: body.name, memberId: joined.memberId, token: joined.token,
                continueTo: data.next ?? "/"))
    }

    struct SignInPage {
        var chrome: Chrome
        var next: String?
        var error: String?
    }

    func signInPage(_ request: Request, _ context: AppRequestContext) -> Response {
        let (chrome, cookie) = chrome(request, context, shop: false)
        let next = Self.safeNext(request.uri.queryParameters.get("next"))
        return page("signin", SignInPage(chrome: chrome, next: next), cookie: cookie)
    }

    func signIn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (chrome, _) = chrome(request, context, shop: false)
        let form = try await WebForm.read(request, maxBytes: maxBodyBytes)
        try requireCSRF(form, request, context, .member)
        let next = Self.safeNext(form["next"])
        guard let token = form.text("token"), token.utf8.count <= 512,
            case .member(let id)? = try await repository.principal(tokenHash: AccessToken.hash(token))
        else {
            let error = "That is not a member token this server knows (or it was revoked)."
            return page("signin", SignInPage(chrome: chrome, next: next, error: error), status: .unauthorized)
        }
        context.sessions.createSession(WebSession(kind: .member, principalId: id, createdAt: clock()), expiresIn: sessionLifetime)
        return PageRenderer.redirect(to: next ?? "/account")
    }

    func signOut(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await WebForm.read(request, maxBytes: maxBodyBytes)
        try requireCSRF(form, request, context, .member)
        context.sessions.clearSession()
        return PageRenderer.redirect(to: "/")
    }
}
