import CouponAPI
import CouponKit
import CouponStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import ImageCore
import Logging

/// The web terminals `coupon-server` serves beside its API: the shopper's pages on `/`
/// and the shop's on `/merchant`, server-rendered (``PageRenderer``), plain HTML forms
/// that work without JavaScript.
///
/// The pages hold no rules of their own: each form calls the same `APIService` handler
/// the JSON route does, in process, as the signed-in member or merchant (`Caller`), so
/// every validation, refusal and refusal record is the API's. What the pages add:
/// - sessions instead of bearer tokens (hummingbird-auth's `SessionMiddleware` on
///   ``StoreSessionDriver``: in the store, shared by every instance on one database);
///   shoppers and shops have separate cookies and separate sessions; cookies are
///   `HttpOnly`, `SameSite=Lax`, and `Secure` with `--behind-https`;
/// - a CSRF token on every form POST (``CSRFToken``): without it, or with another
///   session's, 403;
/// - bodies bounded by `--max-body-bytes`, like the API's (``WebForm``).
struct WebTerminal<Repository: CouponRepository>: Sendable {
    let service: APIService<Repository>
    let repository: Repository
    let renderer: PageRenderer
    let refusals: OrderRefusals<Repository>
    let limits: AdmissionLimits<Repository>
    let maxBodyBytes: Int
    let decodeLimits: DecodeLimits
    let secureCookies: Bool
    let sessionLifetime: Duration
    let clock: @Sendable () -> Date

    /// The shopper's session cookie (path `/`).
    static var memberCookie: String { "couponmark_member" }
    /// The shop's session cookie (path `/merchant`).
    static var shopCookie: String { "couponmark_shop" }

    func register(on router: Router<AppRequestContext>, staticFolder: String) {
        router.add(middleware: FileMiddleware(staticFolder, urlBasePath: "/static", searchForIndexHtml: false))
        let driver = StoreSessionDriver(repository: repository, clock: clock)
        let shopper = router.group().add(
            middleware: SessionMiddleware<AppRequestContext>(
                storage: driver, configuration: sessionConfiguration(cookie: Self.memberCookie, path: "/", prefix: "member.")))
        registerShopperPages(on: shopper)
        let shop = router.group("merchant").add(
            middleware: SessionMiddleware<AppRequestContext>(
                storage: driver,
                configuration: sessionConfiguration(cookie: Self.shopCookie, path: "/merchant", prefix: "shop.")))
        registerShopPages(on: shop)
    }

    private func sessionConfiguration(cookie: String, path: String, prefix: String) -> SessionMiddlewareConfiguration {
        SessionMiddlewareConfiguration(
            sessionCookieParameters: .init(name: cookie, path: path, secure: secureCookies, sameSite: .lax),
            keyPrefix: prefix, defaultSessionExpiration: sessionLifetime)
    }

    // MARK: - Shared by the pages

    /// What the layout needs: the area, whether someone is signed in, the forms' CSRF token.
    struct Chrome {
        var shop: Bool
        var signedIn: Bool
        var csrf: String
    }

    /// The signed-in session of `kind` on this request, if any.
    func session(_ context: AppRequestContext, _ kind: WebSession.Kind) -> WebSession? {
        guard let session = context.sessions.session, session.kind == kind else { return nil }
        return session
    }

    /// The layout's data, and the `couponmark_csrf` cookie to set when a signed-out page
    /// shows a form and the browser has none yet.
    func chrome(_ request: Request, _ context: AppRequestContext, shop: Bool) -> (Chrome, Cookie?) {
        if let session = session(context, shop ? .merchant : .member) {
            return (Chrome(shop: shop, signedIn: true, csrf: session.csrf), nil)
        }
        if let existing = request.cookies[CSRFToken.cookie]?.value, existing.count == 43 {
            return (Chrome(shop: shop, signedIn: false, csrf: String(existing)), nil)
        }
        let token = CSRFToken.generate()
        let cookie = Cookie(
            name: CSRFToken.cookie, value: token, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
        return (Chrome(shop: shop, signedIn: false, csrf: token), cookie)
    }

    /// 403 unless the form carries this browser's token: the session's when signed in
    /// (as `kind`), else the `couponmark_csrf` cookie's.
    func requireCSRF(_ form: WebForm, _ request: Request, _ context: AppRequestContext, _ kind: WebSession.Kind) throws {
        let expected = session(context, kind)?.csrf ?? request.cookies[CSRFToken.cookie].map { String($0.value) }
        guard CSRFToken.matches(form[CSRFToken.field], expected) else {
            throw Problem(
                .forbidden, detail: "the form's security token is missing or belongs to another session: reload the page and send it again")
        }
    }

    /// A page answering with its layout; `cookie` (a new CSRF cookie) is set when given.
    func page(_ template: String, _ data: some Any, status: HTTPResponse.Status = .ok, cookie: Cookie? = nil) -> Response {
        var response = renderer.render(template, data, status: status)
        if let cookie { response.setCookie(cookie) }
        return response
    }

    struct ProblemPage {
        var chrome: Chrome
        var heading: String
        var words: String
        var code: String
        var back: String
    }

    /// An error as a page: its words, its reason code in `#reason-code`, its status.
    func problemPage(_ error: any Error, chrome: Chrome, back: String) -> Response {
        let problem = Problem(error)
        let heading = problem.status.code == 403 ? "Not allowed" : problem.status.code >= 500 ? "Please try again" : "Refused"
        return page(
            "problem",
            ProblemPage(chrome: chrome, heading: heading, words: problem.detail, code: problem.code.rawValue, back: back),
            status: problem.status)
    }

    typealias PageHandler = @Sendable (Request, AppRequestContext) async throws -> Response

    /// Wraps a page's handler: whatever it throws (a missing CSRF token, an oversized form,
    /// a database that does not answer) becomes a page with its words and reason code, not
    /// the API's problem+json.
    func guarded(shop: Bool) -> @Sendable (@escaping PageHandler) -> @Sendable (Request, AppRequestContext) async -> Response {
        { handler in
            { request, context in
                do {
                    return try await handler(request, context)
                } catch {
                    // A fault is logged by its type only, as the API's problems are.
                    if Problem(error).status.code >= 500 {
                        context.logger.error("page failed: \(String(reflecting: type(of: error)))")
                    }
                    let (chrome, _) = chrome(request, context, shop: shop)
                    return problemPage(error, chrome: chrome, back: shop ? "/merchant" : "/")
                }
            }
        }
    }

    /// Runs `body` as the API would run it for this principal.
    func asCaller<T: Sendable>(_ session: WebSession, _ body: () async throws -> T) async throws -> T {
        try await Caller.$current.withValue(session.principal) { try await body() }
    }

    /// A `next` address the sign-in pages may send the browser to: only paths of this site.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), next.utf8.count <= 200,
            next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return nil }
        return next
    }
}
