import CouponKit
import CouponMinting
import CouponServer
import CouponStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import StoreTestSupport
import Testing

/// The web terminals' sessions and forms, as an attacker would try them: cookies and their
/// attributes, CSRF tokens (missing, another session's), the shopper's cookie offered to
/// the shop, sessions shared by two servers on one store, expiry, sign-out, open redirects,
/// oversized forms, another merchant's coupon.
@Suite(.timeLimit(.minutes(5))) struct WebSessionTests {
    /// Joins through `/join` and returns the page that says who the member is.
    static func join(_ web: inout WebClient, name: String = "Ada") async throws -> TestResponse {
        let form = try await web.get("/join")
        let csrf = try #require(form.formValue("csrf_token"))
        return try await web.post(
            "/join",
            [("csrf_token", csrf), ("kind", "individual"), ("name", name), ("email", "\(UUID().uuidString.prefix(8))@example.org")])
    }

    @Test(arguments: StoreKind.allCases) func joiningSignsInWithAnHttpOnlyLaxCookieAndShowsTheTokenOnce(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        try await server.test { client in
            var web = WebClient(client)
            let form = try await web.get("/join")
            let csrfCookie = try #require(WebClient.setCookie("couponmark_csrf", in: form))
            #expect(csrfCookie.contains("HttpOnly") && csrfCookie.contains("SameSite=Strict"))
            #expect(form.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            let joined = try await Self.join(&web)
            #expect(joined.status == .ok)
            let memberId = try #require(joined.text(ofId: "member-id"))
            let token = try #require(joined.text(ofId: "member-token"))
            #expect(memberId.hasPrefix("mem_") && token.hasPrefix("cm_member_"))
            let cookie = try #require(WebClient.setCookie("couponmark_member", in: joined))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"))
            // The session is in the store, under a hash of the cookie only.
            let value = try #require(web.cookies["couponmark_member"])
            let stored = try await server.store.sessions(now: Date())
            #expect(stored.count == 1)
            #expect(!stored[0].value.contains(value) && stored[0].keyHash.count == 64)
            #expect(!stored[0].value.contains(token))
            let account = try await web.get("/account")
            #expect(account.status == .ok)
            #expect(account.text(ofId: "member-id") == memberId)
            #expect(!account.html.contains(token))
        }
    }

    @Test func cookiesAreSecureBehindHTTPS() async throws {
        var server = try TestServer()
        server.configuration.behindHTTPS = true
        try await server.test { client in
            var web = WebClient(client)
            let joined = try await Self.join(&web)
            #expect(WebClient.setCookie("couponmark_member", in: joined)?.contains("Secure") == true)
        }
    }

    @Test(arguments: StoreKind.allCases) func aPostWithoutItsSessionsTokenIs403(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        try await server.test { client in
            var alice = WebClient(client)
            var bob = WebClient(client)
            _ = try await Self.join(&alice, name: "Alice")
            _ = try await Self.join(&bob, name: "Bob")
            let bobsToken = try #require(try await bob.get("/account").formValue("csrf_token"))
            let alicesToken = try #require(try await alice.get("/account").formValue("csrf_token"))
            #expect(bobsToken != alicesToken)
            let without = try await alice.post("/signout", [])
            #expect(without.status == .forbidden)
            #expect(without.text(ofId: "reason-code") == "forbidden")
            let crossed = try await alice.post("/signout", [("csrf_token", bobsToken)])
            #expect(crossed.status == .forbidden)
            #expect(try await alice.get("/account").status == .ok, "a refused sign-out leaves the session")
            // A signed-out form's token (the csrf cookie's) is no signed-in session's token.
            let anonymous = try #require(alice.cookies["couponmark_csrf"])
            #expect(try await alice.post("/signout", [("csrf_token", anonymous)]).status == .forbidden)
            let cookie = try #require(alice.cookies["couponmark_member"])
            let signedOut = try await alice.post("/signout", [("csrf_token", alicesToken)])
            #expect(signedOut.status == .seeOther)
            // Sign-out deletes the session from the store: the old cookie is nobody's now.
            var replay = WebClient(client)
            replay.cookies["couponmark_member"] = cookie
            let after = try await replay.get("/account")
            #expect(after.status == .seeOther)
            #expect(after.headers[.location] == "/join?next=/account")
            #expect(try await server.store.sessions(now: Date()).count == 1, "Bob's session stays")
        }
    }

    @Test(arguments: StoreKind.allCases) func aShoppersCookieIsNoShopSession(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        try await server.test { client in
            var shopper = WebClient(client)
            _ = try await Self.join(&shopper)
            var forged = WebClient(client)
            forged.cookies["couponmark_shop"] = shopper.cookies["couponmark_member"]
            let dashboard = try await forged.get("/merchant")
            #expect(dashboard.status == .seeOther)
            #expect(dashboard.headers[.location] == "/merchant/login")
            // And a merchant's session is not a shopper's.
            let merchant = try await server.addMerchant()
            var shop = WebClient(client)
            let login = try await shop.get("/merchant/login")
            let signedIn = try await shop.post(
                "/merchant/login", [("csrf_token", try #require(login.formValue("csrf_token"))), ("token", merchant.token)])
            #expect(signedIn.status == .seeOther)
            #expect(WebClient.setCookie("couponmark_shop", in: signedIn)?.contains("Path=/merchant") == true)
            #expect(try await shop.get("/merchant").status == .ok)
            var crossed = WebClient(client)
            crossed.cookies["couponmark_member"] = shop.cookies["couponmark_shop"]
            #expect(try await crossed.get("/account").status == .seeOther)
            // A member token is not a merchant token.
            let memberToken = try #require(try await Self.join(&crossed).text(ofId: "member-token"))
            var stranger = WebClient(client)
            let strangersLogin = try await stranger.get("/merchant/login")
            let refused = try await stranger.post(
                "/merchant/login", [("csrf_token", try #require(strangersLogin.formValue("csrf_token"))), ("token", memberToken)])
            #expect(refused.status == .unauthorized)
            #expect(refused.text(ofId: "error-token") != nil)
        }
    }

    @Test(arguments: StoreKind.allCases) func twoServersOnOneStoreShareSessions(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let second = try buildApplication(server.configuration, repository: server.store)
        try await server.test { client in
            var web = WebClient(client)
            _ = try await Self.join(&web)
            let cookie = try #require(web.cookies["couponmark_member"])
            try await second.test(.router) { (otherClient: any TestClientProtocol) async throws in
                var other = WebClient(otherClient)
                other.cookies["couponmark_member"] = cookie
                #expect(try await other.get("/account").status == .ok)
            }
        }
    }

    @Test func sessionsExpire() async throws {
        var server = try TestServer()
        let now = NIOLockedValueBox(Date())
        server.configuration.clock = { now.withLockedValue { $0 } }
        server.configuration.sessionLifetime = .seconds(600)
        try await server.test { client in
            var web = WebClient(client)
            _ = try await Self.join(&web)
            #expect(try await web.get("/account").status == .ok)
            now.withLockedValue { $0 = $0.addingTimeInterval(601) }
            let expired = try await web.get("/account")
            #expect(expired.status == .seeOther)
        }
    }

    @Test func signInGoesOnlyToPagesOfThisSite() async throws {
        let server = try TestServer()
        try await server.test { client in
            var web = WebClient(client)
            let token = try #require(try await Self.join(&web).text(ofId: "member-token"))
            var other = WebClient(client)
            for next in ["//evil.example/", "https://evil.example/", "/\\evil.example", "/account\r\nX: y"] {
                let page = try await other.get("/signin?next=\(WebClient.escape(next))")
                #expect(page.formValue("next") == "", "\(next) shown as next")
                let signedIn = try await other.post(
                    "/signin", [("csrf_token", try #require(page.formValue("csrf_token"))), ("token", token), ("next", next)])
                #expect(signedIn.headers[.location] == "/account", "\(next)")
            }
            let page = try await other.get("/signin?next=/reveal")
            let signedIn = try await other.post(
                "/signin", [("csrf_token", try #require(page.formValue("csrf_token"))), ("token", token), ("next", "/reveal")])
            #expect(signedIn.headers[.location] == "/reveal")
        }
    }

    @Test func anOversizedFormIs413AndAnUnknownFormIs415() async throws {
        let server = try TestServer(maxBodyBytes: 4096)
        try await server.test { client in
            var web = WebClient(client)
            let csrf = try #require(try await web.get("/join").formValue("csrf_token"))
            let big = try await web.post("/join", [("csrf_token", csrf), ("name", String(repeating: "a", count: 10_000))])
            #expect(big.status == .contentTooLarge)
            #expect(big.text(ofId: "reason-code") == "payload_too_large")
            let json = try await web.send(
                "/join", method: .post, headers: [.contentType: "application/json"], body: .init(string: "{}"))
            #expect(json.status == .unsupportedMediaType)
        }
    }

    @Test(arguments: StoreKind.allCases) func aShopSeesAndRevokesOnlyItsOwnCoupons(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind, verifier: nil)
        try await server.test { client in
            let shop = try await CouponCopyTests.shop(server, client: client)
            let serial = shop.coupon.terms.serial
            let intruder = try await server.addMerchant(name: "Intruder")
            var web = WebClient(client)
            let login = try await web.get("/merchant/login")
            _ = try await web.post(
                "/merchant/login", [("csrf_token", try #require(login.formValue("csrf_token"))), ("token", intruder.token)])
            let dashboard = try await web.get("/merchant")
            #expect(!dashboard.html.contains(serial))
            let confirm = try await web.get("/merchant/coupons/\(serial)/revoke")
            #expect(confirm.status == .notFound)
            // Revoking by POST anyway revokes the serial under the intruder's own issuer key,
            // never the owner's: the owner's coupon still sells.
            _ = try await web.post("/merchant/coupons/\(serial)/revoke", [("csrf_token", try #require(dashboard.formValue("csrf_token")))])
            let owners = try await server.store.merchantCoupons(merchantId: shop.merchant.id, limit: 10)
            #expect(owners.first?.revokedAt == nil)
        }
    }
}

extension WebSessionTests {
    /// The shop's pages under other spellings of their paths: none shows a dashboard
    /// without a shop session (each either is no page or sends the browser to sign in).
    @Test func aPathSpelledDifferentlyIsNoWayIn() async throws {
        let server = try TestServer()
        try await server.test { client in
            var web = WebClient(client)
            for path in ["/merchant", "/merchant/", "//merchant", "/merchant//", "/Merchant", "/merchant/./", "/%6Derchant"] {
                let response = try await web.get(path)
                #expect(!response.html.contains("id=\"add-product\""), "\(path) showed the dashboard")
                #expect([.seeOther, .notFound].contains(response.status), "\(path): \(response.status)")
            }
        }
    }

    /// Joining through the page counts against the same per-address limit as the API.
    @Test func theJoinPageMeetsTheJoinLimit() async throws {
        let server = try TestServer(joinLimit: 2).withFrozenClock()
        try await server.test { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<3 {
                var web = WebClient(client)
                statuses.append(try await Self.join(&web).status)
            }
            #expect(statuses == [.ok, .ok, .tooManyRequests])
        }
    }
}
